package dev.jwal.benchmarks;

import dev.jwal.core.SyncPolicy;
import dev.jwal.core.WalOptions;
import dev.jwal.core.log.LogCursor;
import dev.jwal.core.log.WalLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The application log's {@code read}: a cursor over 256 MiB of records from the first index to
 * the last, in a log reopened after writing them, so that the records come from the files (in the
 * page cache), not from memory. MB/s is {@link #BYTES} over one operation's time.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class LogReadBenchmark {

    /** Record data written: 256 MiB. */
    public static final long BYTES = 256L << 20;

    /** Bytes per record. */
    @Param({"100", "4096"})
    public int size;

    /** The directory to measure; the working directory by default. */
    @Param(".")
    public String dir;

    private Path home;
    private WalLog log;

    @Setup(Level.Trial)
    public void write() {
        home = BenchDirectory.create(dir, "jwal-log-read");
        Path logDir = home.resolve("log");
        WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.NONE).build();
        try (WalLog writing = WalLog.open(logDir, options)) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(new byte[size]);
            }
            for (long written = 0; written < BYTES; written += (long) size * batch.size()) {
                writing.appendAll(batch);
            }
        }
        log = WalLog.open(logDir, options);
    }

    @Benchmark
    public long readAll() {
        long bytes = 0;
        LogCursor cursor = log.read(log.firstIndex());
        while (cursor.hasNext()) {
            bytes += cursor.next().data().length;
        }
        return bytes;
    }

    @TearDown(Level.Trial)
    public void remove() {
        log.close();
        BenchDirectory.delete(home);
    }
}

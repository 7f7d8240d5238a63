package dev.jwal.benchmarks;

import dev.jwal.core.Entry;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalReplayHandler;
import dev.jwal.core.WalSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading a 512 MiB WAL of 1000-byte entries back: {@code readAll} (etcd's {@code ReadAll}, every
 * entry kept) and {@code replay} (each entry handed over and dropped). One operation is one whole
 * read; MB/s is {@link #BYTES} over its time. The WAL is in the page cache after it is written,
 * so this measures decoding, as etcd's figure does in the same run. The JVM's default heap; the
 * suite runs {@code replay} again with {@link Suite#SMALL_HEAP}, an eighth of the log.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ReplayBenchmark {

    /** Entry data written: 512 MiB. */
    public static final long BYTES = 512L << 20;

    static final int SIZE = 1000;

    /** The directory to measure; the working directory by default. */
    @Param(".")
    public String dir;

    private Path home;
    private Path walDir;

    @Setup(Level.Trial)
    public void write() {
        home = BenchDirectory.create(dir, "jwal-replay");
        walDir = home.resolve("wal");
        byte[] data = new byte[SIZE];
        try (Wal wal = Wal.create(walDir, "somedata".getBytes(StandardCharsets.UTF_8),
                WalOptions.builder().syncPolicy(SyncPolicy.NONE).build())) {
            SequentialLog log = new SequentialLog(wal);
            for (long written = 0; written < BYTES; written += SIZE * 100L) {
                log.save(data, 100);
            }
        }
    }

    @Benchmark
    public Object readAll() {
        try (Wal wal = Wal.openForRead(walDir, WalSnapshot.ZERO)) {
            return wal.readAll().entries();
        }
    }

    @Benchmark
    public long replay(Blackhole hole) {
        try (Wal wal = Wal.openForRead(walDir, WalSnapshot.ZERO)) {
            return wal.replay(new WalReplayHandler() {
                @Override
                public void entry(Entry entry) {
                    hole.consume(entry);
                }

                @Override
                public void truncated(long index) {
                    throw new IllegalStateException("nothing was overwritten");
                }
            }).entries();
        }
    }

    @TearDown(Level.Trial)
    public void remove() {
        BenchDirectory.delete(home);
    }
}

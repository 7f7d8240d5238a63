package dev.jwal.benchmarks;

import dev.jwal.core.Entry;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
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
 * Reads by index from a writable WAL of 256 MiB of 1000-byte entries, as a leader catching a
 * follower up does: {@code sequential} reads the whole log in ranges of 1,000 entries (MB/s is
 * {@link #BYTES} over one operation's time), {@code random} reads one entry at a random index (one
 * positional read each). The files are in the page cache after they are written, so this measures
 * the read path, not the disk.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ReadByIndexBenchmark {

    /** Entry data written: 256 MiB. */
    public static final long BYTES = 256L << 20;

    static final int SIZE = 1000;

    static final int RANGE = 1000;

    /** The directory to measure; the working directory by default. */
    @Param(".")
    public String dir;

    private Path home;
    private Wal wal;
    private long last;
    private final SplittableRandom random = new SplittableRandom(1);

    @Setup(Level.Trial)
    public void write() {
        home = BenchDirectory.create(dir, "jwal-read-by-index");
        Path walDir = home.resolve("wal");
        WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.NONE).build();
        try (Wal writing = Wal.create(walDir, "somedata".getBytes(StandardCharsets.UTF_8), options)) {
            SequentialLog log = new SequentialLog(writing);
            byte[] data = new byte[SIZE];
            for (long written = 0; written < BYTES; written += SIZE * 100L) {
                log.save(data, 100);
            }
        }
        wal = Wal.open(walDir, WalSnapshot.ZERO, options);
        wal.readAll();
        last = wal.lastIndex();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 5)
    public long sequential() {
        long bytes = 0;
        for (long from = 1; from <= last; from += RANGE) {
            List<Entry> entries = wal.entries(from, Math.min(last + 1, from + RANGE));
            bytes += entries.size();
        }
        return bytes;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public List<Entry> random() {
        long index = random.nextLong(1, last + 1);
        return wal.entries(index, index + 1);
    }

    @TearDown(Level.Trial)
    public void remove() {
        wal.close();
        BenchDirectory.delete(home);
    }
}

package dev.jwal.benchmarks;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * Many writers, one 100-byte entry per save, each waiting until its save is durable under the
 * policy. Indexes are given out in order under a lock, as a raft log needs; only the hand-off to
 * the WAL ({@code saveAsync}) happens under it, the wait does not, so that under {@code GROUP}
 * writers share fdatasyncs. Run with {@code -t 1}, {@code -t 4}, ... (the suite does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class ConcurrentSaveBenchmark {

    @Param({"ALWAYS", "GROUP", "INTERVAL", "NONE"})
    public SyncPolicy policy;

    /** The directory to measure; the working directory by default. */
    @Param(".")
    public String dir;

    private SequentialLog log;
    private Wal wal;
    private final byte[] data = new byte[100];
    private final Object order = new Object();
    private long next;

    @Setup(Level.Trial)
    public void create() {
        log = SequentialLog.create(dir, "jwal-concurrent", WalOptions.builder().syncPolicy(policy).build());
        wal = log.wal();
        next = 1;
    }

    @Benchmark
    public void saveAndWait() {
        CompletableFuture<Void> durable;
        synchronized (order) {
            long index = next++;
            durable = wal.saveAsync(new HardState(1, 0, index), List.of(Entry.normal(1, index, data)));
        }
        durable.join();
    }

    @TearDown(Level.Trial)
    public void remove() {
        log.close();
    }
}

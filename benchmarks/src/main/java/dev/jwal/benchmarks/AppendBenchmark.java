package dev.jwal.benchmarks;

import dev.jwal.core.SyncPolicy;
import dev.jwal.core.WalOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending without fdatasync ({@code NONE}): saves of 100 entries of {@code size} bytes, so the
 * encoder, CRC and page writer are what is measured. One operation is one entry, so that
 * {@code -prof gc}'s {@code gc.alloc.rate.norm} is the allocation per appended entry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class AppendBenchmark {

    static final int BATCH = 100;

    @Param({"100", "10240"})
    public int size;

    /** Whether segments are zero-filled ahead of use (jwal's default) or extended sparsely. */
    @Param({"true", "false"})
    public boolean preallocate;

    /** The directory to measure; the working directory by default. */
    @Param(".")
    public String dir;

    private byte[] data;
    private SequentialLog log;

    @Setup(Level.Trial)
    public void create() {
        log = SequentialLog.create(dir, "jwal-append",
                WalOptions.builder().syncPolicy(SyncPolicy.NONE).preallocate(preallocate).build());
        data = new byte[size];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void saveBatch() {
        log.save(data, BATCH);
    }

    @TearDown(Level.Trial)
    public void remove() {
        log.close();
    }
}

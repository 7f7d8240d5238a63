package dev.jwal.benchmarks;

import dev.jwal.core.SyncPolicy;
import dev.jwal.core.WalOptions;
import dev.jwal.core.log.WalLog;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The application log's {@code append} of 100-byte records, each writer waiting for durability:
 * the counterpart of {@link ConcurrentSaveBenchmark} on the raw {@code Wal}, with the same writers
 * ({@code -t 1}, {@code -t 64}) and policies, so that the two compare in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class LogAppendBenchmark {

    @Param({"ALWAYS", "GROUP"})
    public SyncPolicy policy;

    /** The directory to measure; the working directory by default. */
    @Param(".")
    public String dir;

    private Path home;
    private WalLog log;
    private final byte[] data = new byte[100];

    @Setup(Level.Trial)
    public void create() {
        home = BenchDirectory.create(dir, "jwal-log-append");
        log = WalLog.open(home.resolve("log"), WalOptions.builder().syncPolicy(policy).build());
    }

    @Benchmark
    public long append() {
        return log.append(data);
    }

    @TearDown(Level.Trial)
    public void remove() {
        log.close();
        BenchDirectory.delete(home);
    }
}

package dev.jwal.benchmarks;

import dev.jwal.core.WalOptions;
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
 * etcd's {@code BenchmarkWrite{100,1000}Entry{WithoutBatch,Batch10,100,500,1000}}: entries of
 * {@code size} bytes, {@code batch} of them per fdatasync'd save (etcd's "WithoutBatch" is a
 * batch of 1), under etcd's rule ({@code ALWAYS}). One operation is one save; entries/s is
 * saves/s times the batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class EtcdWriteBenchmark {

    @Param({"100", "1000"})
    public int size;

    @Param({"1", "10", "100", "500", "1000"})
    public int batch;

    /** The directory to measure; the working directory by default. */
    @Param(".")
    public String dir;

    private byte[] data;
    private SequentialLog log;

    @Setup(Level.Trial)
    public void create() {
        log = SequentialLog.create(dir, "jwal-etcdwrite", WalOptions.defaults());
        data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) i;
        }
    }

    @Benchmark
    public void save() {
        log.save(data, batch);
    }

    @TearDown(Level.Trial)
    public void remove() {
        log.close();
    }
}

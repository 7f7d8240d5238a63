package dev.jwal.benchmarks;

import dev.jwal.core.SyncPolicy;
import dev.jwal.core.WalOptions;
import dev.jwal.core.log.LogFollower;
import dev.jwal.core.log.LogRecord;
import dev.jwal.core.log.LogSubscription;
import dev.jwal.core.log.WalLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * A follower's end-to-end delivery against the appends that feed it: one operation appends
 * {@link #RECORDS} 100-byte records (in saves of {@code batch}), and {@code appendAndDeliver}
 * also waits until a follower subscribed before the first append has been handed the last of
 * them. When {@code appendAndDeliver} takes no longer than {@code append}, the follower delivers
 * at least as fast as records are appended; the ratio of the two times is the figure.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class LogFollowBenchmark {

    /** Records appended per operation. */
    public static final int RECORDS = 200_000;

    @Param({"NONE", "GROUP"})
    public SyncPolicy policy;

    /** Records per append (one save each). */
    @Param({"1", "100"})
    public int batch;

    /** The directory to measure; the working directory by default. */
    @Param(".")
    public String dir;

    private Path home;
    private WalLog log;
    private List<byte[]> records;
    private LogSubscription subscription;
    private volatile long delivered;

    @Setup(Level.Trial)
    public void open() {
        home = BenchDirectory.create(dir, "jwal-log-follow");
        log = WalLog.open(home.resolve("log"), WalOptions.builder().syncPolicy(policy).build(), 2);
        records = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            records.add(new byte[100]);
        }
        subscription = log.follow(1, "bench", new LogFollower() {
            @Override
            public void record(LogRecord record) {
                delivered = record.index();
            }
        });
    }

    @Benchmark
    public long append() {
        return appendAll();
    }

    @Benchmark
    public long appendAndDeliver() {
        long last = appendAll();
        while (delivered < last) {
            LockSupport.parkNanos(10_000);
        }
        return last;
    }

    private long appendAll() {
        long last = 0;
        for (int appended = 0; appended < RECORDS; appended += batch) {
            last = batch == 1 ? log.append(records.get(0)) : log.appendAll(records) + batch - 1;
        }
        return last;
    }

    @TearDown(Level.Trial)
    public void remove() {
        subscription.cancel();
        log.close();
        BenchDirectory.delete(home);
    }
}

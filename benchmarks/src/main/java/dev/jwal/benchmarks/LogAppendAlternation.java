package dev.jwal.benchmarks;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.core.log.WalLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The application log's {@code append} against the raw {@code Wal}'s save of the same 100-byte
 * record, each thread calling one and then the other, so that both see the same disk at the same
 * moment. A shared disk's fdatasync rate moves by a factor of two within seconds here, more than
 * JMH's iterations of one benchmark and then the other can average out.
 *
 * <p>The raw side calls as {@link ConcurrentSaveBenchmark} does (index under a lock, the wait
 * outside it); the log side calls {@code WalLog.append}, each thread waiting for durability.
 * A side's rate is its calls per second of the threads' time spent in it: with {@code T}
 * threads, {@code T} × calls ÷ the time summed over threads.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.jwal.benchmarks.LogAppendAlternation DIR POLICY THREADS [ROUNDS] [SECONDS]</pre>
 */
public final class LogAppendAlternation {

    private static final byte[] DATA = new byte[100];

    private LogAppendAlternation() {
    }

    public static void main(String[] args) throws Exception {
        String dir = args[0];
        SyncPolicy policy = SyncPolicy.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 2;
        long roundNanos = (long) (seconds * 1e9);
        Path home = BenchDirectory.create(dir, "jwal-alternation");
        WalOptions options = WalOptions.builder().syncPolicy(policy).build();
        SequentialLog raw = SequentialLog.create(home.toString(), "raw", options);
        WalLog log = WalLog.open(home.resolve("log"), options);
        try {
            Wal wal = raw.wal();
            Object order = new Object();
            long[] next = {1};
            Runnable rawSave = () -> {
                CompletableFuture<Void> durable;
                synchronized (order) {
                    long index = next[0]++;
                    durable = wal.saveAsync(new HardState(1, 0, index), List.of(Entry.normal(1, index, DATA)));
                }
                durable.join();
            };
            Runnable logAppend = () -> log.append(DATA);
            // a warm-up round, not counted
            runPaired(rawSave, logAppend, threads, roundNanos);
            double[] ratios = new double[rounds];
            System.out.printf(Locale.ROOT, "%s, %d threads, %d rounds of %.1f s%n", policy, threads, rounds, seconds);
            for (int round = 0; round < rounds; round++) {
                double[] rates = runPaired(rawSave, logAppend, threads, roundNanos);
                ratios[round] = rates[1] / rates[0];
                System.out.printf(Locale.ROOT, "round %2d: raw Wal %,10.0f saves/s, WalLog %,10.0f appends/s, %.3f×%n",
                        round + 1, rates[0], rates[1], ratios[round]);
            }
            System.out.println("WalLog ÷ raw Wal: " + RoundRatios.summary(ratios));
        } finally {
            log.close();
            raw.close();
            BenchDirectory.delete(home);
        }
    }

    /**
     * Runs {@code threads} threads for about {@code nanos}, each calling {@code raw} and then
     * {@code log} in turn; returns each side's calls per second of the time spent in it, so that
     * a moment of slow disk weighs on both sides alike.
     */
    private static double[] runPaired(Runnable raw, Runnable log, int threads, long nanos)
            throws InterruptedException {
        LongAdder pairs = new LongAdder();
        LongAdder rawNanos = new LongAdder();
        LongAdder logNanos = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (!stop.get()) {
                    long begin = System.nanoTime();
                    raw.run();
                    long middle = System.nanoTime();
                    log.run();
                    long end = System.nanoTime();
                    rawNanos.add(middle - begin);
                    logNanos.add(end - middle);
                    pairs.increment();
                }
            });
            worker.start();
            workers.add(worker);
        }
        ready.await();
        go.countDown();
        Thread.sleep(nanos / 1_000_000);
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        double calls = pairs.sum() * (double) threads;
        return new double[] {calls * 1e9 / rawNanos.sum(), calls * 1e9 / logNanos.sum()};
    }
}

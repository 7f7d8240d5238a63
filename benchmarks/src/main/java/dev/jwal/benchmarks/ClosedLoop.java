package dev.jwal.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The load of the alternation programs: threads that each repeat one operation, waiting for it
 * each time, until the time is up; how many completed per second, and the longest single one.
 */
final class ClosedLoop {

    /** What one load measured; {@code longestNanos} is -1 where it was not measured. */
    record Measurement(double perSecond, long longestNanos) {
    }

    /** One operation, waited for. */
    @FunctionalInterface
    interface Operation {
        void run() throws Exception;
    }

    private ClosedLoop() {
    }

    /** Runs {@code operation} on {@code threads} threads for about {@code nanos}; a failure of any ends it. */
    static Measurement run(int threads, long nanos, Operation operation) throws InterruptedException {
        LongAdder completed = new LongAdder();
        AtomicLong longest = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                long mine = 0;
                try {
                    while (!stop.get()) {
                        long before = System.nanoTime();
                        operation.run();
                        mine = Math.max(mine, System.nanoTime() - before);
                        completed.increment();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                } finally {
                    longest.accumulateAndGet(mine, Math::max);
                    done.countDown();
                }
            }, "closed-loop");
            worker.setDaemon(true);
            worker.start();
        }
        long deadline = start + nanos;
        for (long left = nanos; left > 0 && !stop.get(); left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        stop.set(true);
        done.await();
        if (failure.get() != null) {
            throw new IllegalStateException("the load failed", failure.get());
        }
        return new Measurement(completed.sum() * 1e9 / (System.nanoTime() - start), longest.get());
    }
}

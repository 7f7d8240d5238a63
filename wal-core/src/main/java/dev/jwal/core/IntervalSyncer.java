package dev.jwal.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The background thread of {@link SyncPolicy#INTERVAL}: runs a WAL's sync-if-written task every
 * interval. A daemon thread, so that a WAL left open does not keep the JVM alive.
 */
final class IntervalSyncer implements AutoCloseable {

    private final ScheduledExecutorService scheduler;

    IntervalSyncer(String walName, Duration interval, Runnable syncIfWritten) {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "jwal-interval-sync " + walName);
            thread.setDaemon(true);
            return thread;
        });
        long nanos = interval.toNanos();
        scheduler.scheduleWithFixedDelay(syncIfWritten, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the thread; a sync under way finishes (it holds the WAL's lock, which close waits for). */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

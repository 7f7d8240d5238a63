package dev.jwal.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link SyncedPages}' write and fdatasync, done by a thread of its own for one caller at a time,
 * as jwal's log writer does them: the least a design in which no caller touches a channel pays per
 * save, with nothing of jwal in it. The caller hands over through one volatile counter and spins
 * for the answer; the writer spins for the next request, then parks; both with jwal's spin times
 * ({@code Spinning}). Divided by {@link SyncedPages} alone in the same run, it is what the
 * hand-off itself costs (or saves) on this machine.
 */
final class HandedOffSyncs implements AutoCloseable {

    private static final long WRITER_SPIN_NANOS = 20_000;
    private static final long CALLER_SPIN_NANOS = 2_000_000;

    private final SyncedPages pages;
    private final Thread writer;
    private volatile Thread caller;
    /** Requests handed over so far; written by the caller only. */
    private volatile long requested;
    /** Requests written and synced so far; written by the writer only. */
    private volatile long completed;
    private volatile boolean writerParked;
    private volatile boolean callerParked;
    private volatile boolean stopping;
    private volatile IOException failure;

    HandedOffSyncs(SyncedPages pages) {
        this.pages = pages;
        this.writer = new Thread(this::write, "handed-off-syncs");
        writer.setDaemon(true);
        writer.start();
    }

    /** One write and fdatasync on the writer's thread; returns once it is durable. One caller at a time. */
    void save() {
        caller = Thread.currentThread();
        long mine = requested + 1;
        requested = mine;
        if (writerParked) {
            LockSupport.unpark(writer);
        }
        long start = System.nanoTime();
        while (completed < mine) {
            if (System.nanoTime() - start < CALLER_SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            callerParked = true;
            if (completed < mine) {
                LockSupport.park(this);
            }
            callerParked = false;
        }
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
    }

    private void write() {
        long done = 0;
        while (!stopping) {
            if (!awaitRequest(done)) {
                continue;
            }
            try {
                pages.writeAndSync();
            } catch (IOException e) {
                failure = e;
            }
            done = requested;
            completed = done;
            if (callerParked) {
                LockSupport.unpark(caller);
            }
        }
    }

    private boolean awaitRequest(long done) {
        long start = System.nanoTime();
        while (requested == done && System.nanoTime() - start < WRITER_SPIN_NANOS) {
            Thread.onSpinWait();
        }
        if (requested != done) {
            return true;
        }
        writerParked = true;
        if (requested == done && !stopping) {
            LockSupport.park(this);
        }
        writerParked = false;
        return requested != done;
    }

    /** Stops the writer and waits for it to end; the pages stay open. */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(writer);
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

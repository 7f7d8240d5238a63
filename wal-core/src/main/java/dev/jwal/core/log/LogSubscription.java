package dev.jwal.core.log;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One follower of a {@link WalLog}: a thread of its own reads records from the files with a
 * {@link LogCursor} and hands them to the {@link LogFollower}; when it has caught up it waits
 * for the log to acknowledge more. Memory is one cursor batch whatever the follower's speed: a
 * follower that falls behind reads further back in the files, and appends never wait for it.
 */
public final class LogSubscription {

    private final WalLog log;
    private final LogFollower follower;
    private final Thread thread;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicLong delivered;
    private volatile boolean cancelled;
    private volatile boolean waiting;
    private final String name;

    LogSubscription(WalLog log, long fromIndex, LogFollower follower, String name) {
        this.log = log;
        this.follower = follower;
        this.name = name;
        this.delivered = new AtomicLong(fromIndex - 1);
        this.thread = new Thread(this::run, "jwal-follow " + log.directory().getFileName() + " " + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The follower's name, as given to {@link WalLog#follow(long, String, LogFollower)}: its meters' tag. */
    public String name() {
        return name;
    }

    /** Stops delivery; the follower's {@code ended(null)} follows. Returns at once; see {@link #done()}. */
    public void cancel() {
        cancelled = true;
        LockSupport.unpark(thread);
    }

    /** Completes once the subscription has ended and {@link LogFollower#ended} has returned. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** The index of the last record handed to the follower. */
    public long deliveredIndex() {
        return delivered.get();
    }

    /** How many acknowledged records the follower has not been handed yet. */
    public long lag() {
        return Math.max(0, log.lastIndex() - delivered.get());
    }

    /** The log acknowledged more: wake the thread if it waits. Called on the acknowledging thread. */
    void acknowledged() {
        if (waiting) {
            LockSupport.unpark(thread);
        }
    }

    /** Waits for the thread to end, whatever interrupts come: before the log closes its WAL. */
    void cancelAndJoin() {
        cancel();
        if (Thread.currentThread() == thread) {
            // the follower closed the log from its own callback: it ends when that returns
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Throwable cause = null;
        try {
            LogCursor cursor = log.read(delivered.get() + 1);
            boolean first = true;
            while (!cancelled) {
                boolean handedOver = false;
                while (!cancelled && cursor.hasNext()) {
                    LogRecord record = cursor.next();
                    follower.record(record);
                    delivered.set(record.index());
                    handedOver = true;
                }
                if (cancelled) {
                    break;
                }
                if (handedOver || first) {
                    follower.caughtUp(delivered.get());
                }
                first = false;
                awaitMore();
            }
        } catch (Throwable t) {
            cause = t;
        } finally {
            log.unsubscribe(this);
            try {
                follower.ended(cause);
            } finally {
                done.complete(null);
            }
        }
    }

    /** Parks until the log has acknowledged past what was delivered, or the subscription is cancelled. */
    private void awaitMore() {
        waiting = true;
        try {
            while (!cancelled && log.lastIndex() <= delivered.get()) {
                // Bounded, so that a wake-up lost between the check and the park costs little.
                LockSupport.parkNanos(this, 50_000_000L);
                Thread.interrupted();
            }
        } finally {
            waiting = false;
        }
    }
}

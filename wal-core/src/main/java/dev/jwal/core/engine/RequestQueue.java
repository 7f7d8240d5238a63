package dev.jwal.core.engine;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The log writer's inbox: any number of submitting threads, one taking thread. Lock-free on both
 * sides, because a lock here is what the two sides meet on: with a {@code LinkedBlockingQueue},
 * a submission into an empty queue takes the taking side's lock to signal it, and a writer
 * polling at that moment parks the submitter behind the lock, so that one save paid a park and an
 * unpark that neither side needed (JFR: 40% of an unsynced writer's samples were that unpark).
 *
 * <p>The writer parks only after announcing it ({@code parked}) and looking once more; a
 * submitter looks at the announcement after adding. Both are volatile, so at least one of the two
 * sees the other: no submission is left unnoticed by a parked writer.
 */
final class RequestQueue {

    private final ConcurrentLinkedQueue<LogRequest> requests = new ConcurrentLinkedQueue<>();
    /** Requests added and not yet taken; what a batch reports as still queued. */
    private final AtomicInteger size = new AtomicInteger();
    private final Thread taker;
    private volatile boolean parked;
    private volatile boolean parkedUntimed;

    /** A queue taken from by {@code taker} alone. */
    RequestQueue(Thread taker) {
        this.taker = taker;
    }

    /** Adds a request and wakes the taker if it is parked. Any thread. */
    void add(LogRequest request) {
        requests.add(request);
        size.incrementAndGet();
        if (parked) {
            LockSupport.unpark(taker);
        }
    }

    /** The next request, or null at once. Taker only. */
    LogRequest poll() {
        LogRequest next = requests.poll();
        if (next != null) {
            size.decrementAndGet();
        }
        return next;
    }

    /** Moves up to {@code max} queued requests to {@code batch}. Taker only. */
    void drainTo(List<LogRequest> batch, int max) {
        int taken = 0;
        LogRequest next;
        while (taken < max && (next = requests.poll()) != null) {
            batch.add(next);
            taken++;
        }
        if (taken > 0) {
            size.addAndGet(-taken);
        }
    }

    /**
     * The next request, waiting at most {@code timeoutNanos} for one; null when the time is up.
     * Interrupts are cleared and ignored: the taker is private and must not stop half way. Taker
     * only, while it holds the WAL's files (a group wait gathering more saves).
     */
    LogRequest take(long timeoutNanos) {
        LogRequest next = poll();
        long start = System.nanoTime();
        while (next == null) {
            long left = timeoutNanos - (System.nanoTime() - start);
            if (left <= 0) {
                return null;
            }
            parked = true;
            try {
                next = poll();
                if (next == null) {
                    LockSupport.parkNanos(this, left);
                    Thread.interrupted();
                    next = poll();
                }
            } finally {
                parked = false;
            }
        }
        return next;
    }

    /**
     * Waits until a request is queued, spinning up to {@code spinNanos} before it parks, for at
     * most {@code timeoutNanos} (negative: until one is queued or {@link #nudge()} is called).
     * Takes nothing: the taker takes only once it holds the WAL's files, so that a caller who
     * finds the queue empty and the files free knows that no request is ahead of its own. True
     * when a request is queued; false when the time is up, {@code otherWork} is there (looked at
     * after announcing the park, so a {@link #wake()} after it is set is never missed), or the
     * taker was nudged (it then looks again at what it waits for). Interrupts are cleared and
     * ignored. Taker only.
     */
    boolean awaitWork(long spinNanos, long timeoutNanos, BooleanSupplier otherWork) {
        if (!requests.isEmpty()) {
            return true;
        }
        if (otherWork.getAsBoolean()) {
            return false;
        }
        long start = System.nanoTime();
        while (spinNanos > 0 && System.nanoTime() - start < spinNanos) {
            Thread.onSpinWait();
            if (!requests.isEmpty()) {
                return true;
            }
        }
        parkedUntimed = timeoutNanos < 0;
        parked = true;
        try {
            if (!requests.isEmpty()) {
                return true;
            }
            if (otherWork.getAsBoolean()) {
                return false;
            }
            if (timeoutNanos < 0) {
                LockSupport.park(this);
            } else {
                long left = timeoutNanos - (System.nanoTime() - start);
                if (left > 0) {
                    LockSupport.parkNanos(this, left);
                }
            }
            Thread.interrupted();
            return !requests.isEmpty();
        } finally {
            parked = false;
            parkedUntimed = false;
        }
    }

    /**
     * Wakes a taker parked with no time limit, so that it looks again at what it waits for: a
     * caller wrote unsynced bytes itself, and an {@link dev.jwal.core.SyncPolicy#INTERVAL} sync is now due
     * some time. A taker parked with a time limit already wakes in time.
     */
    void nudge() {
        if (parkedUntimed) {
            LockSupport.unpark(taker);
        }
    }

    /** Wakes the taker if it is parked, whatever it waits for: other work is there. */
    void wake() {
        if (parked) {
            LockSupport.unpark(taker);
        }
    }

    /** Whether nothing is queued. Exact while the caller holds the lock that all additions take. */
    boolean isEmpty() {
        return requests.isEmpty();
    }

    /** How many requests are queued now; approximate while others add. */
    int size() {
        return size.get();
    }
}

package dev.jwal.core;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The log writer's inbox: any number of submitting threads, one taking thread. Lock-free on both
 * sides, because a lock here is what the two sides meet on: with a {@code LinkedBlockingQueue},
 * a submission into an empty queue takes the taking side's lock to signal it, and a writer
 * polling at that moment parks the submitter behind the lock, so that one save paid a park and an
 * unpark that neither side needed (JFR: 40% of an unsynced writer's samples were that unpark).
 *
 * <p>The writer parks only after announcing it ({@link #parked}) and looking once more; a
 * submitter looks at the announcement after adding. Both are volatile, so at least one of the two
 * sees the other: no submission is left unnoticed by a parked writer.
 */
final class RequestQueue {

    private final ConcurrentLinkedQueue<LogRequest> requests = new ConcurrentLinkedQueue<>();
    /** Requests added and not yet taken; what a batch reports as still queued. */
    private final AtomicInteger size = new AtomicInteger();
    private final Thread taker;
    private volatile boolean parked;

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
     * The next request, spinning up to {@code spinNanos} for one before it parks, and waiting at
     * most {@code timeoutNanos} in all (negative: no limit); null when the time is up. Interrupts
     * are cleared and ignored: the taker is private and must not stop half way. Taker only.
     */
    LogRequest take(long spinNanos, long timeoutNanos) {
        LogRequest next = poll();
        if (next != null) {
            return next;
        }
        long start = System.nanoTime();
        while (spinNanos > 0 && System.nanoTime() - start < spinNanos) {
            Thread.onSpinWait();
            if (!requests.isEmpty()) {
                return poll();
            }
        }
        while (true) {
            parked = true;
            try {
                next = poll();
                if (next != null) {
                    return next;
                }
                if (timeoutNanos < 0) {
                    LockSupport.park(this);
                } else {
                    long left = timeoutNanos - (System.nanoTime() - start);
                    if (left <= 0) {
                        return null;
                    }
                    LockSupport.parkNanos(this, left);
                }
                Thread.interrupted();
            } finally {
                parked = false;
            }
        }
    }

    /** How many requests are queued now; approximate while others add. */
    int size() {
        return size.get();
    }
}

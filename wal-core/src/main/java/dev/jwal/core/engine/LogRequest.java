package dev.jwal.core.engine;

import dev.jwal.core.WalException;
import dev.jwal.core.WalInterruptedException;
import java.util.concurrent.locks.LockSupport;

/**
 * One piece of work for the {@link LogWriter}, and how its caller learns the outcome: a thread
 * parked in {@link #await} is woken by the writer directly (no user code runs on the writer). Each
 * kind of work is a small type of its own ({@link SaveRequest}, {@link SnapshotRequest},
 * {@link SyncRequest}, {@link ReleaseRequest}, {@link PurgeRequest}, {@link TaskRequest},
 * {@link StopRequest}); this class holds only the outcome and the wait for it.
 */
abstract class LogRequest {

    /** {@link #waitForOutcome(boolean, long)}: the outcome is known. */
    static final int WAITED = 0;
    /** {@link #waitForOutcome(boolean, long)}: the thread was interrupted first; its flag is clear. */
    static final int INTERRUPTED = 1;
    /** {@link #waitForOutcome(boolean, long)}: the time was up first. */
    static final int TIMED_OUT = 2;

    private static final int PENDING = 0;
    private static final int DONE = 1;

    /** What the request is, in a failure's message: "save", "sync". */
    private final String name;
    /** What the writer was doing to the file named after it, in the poison's sentence. */
    private final String action;
    /** Whether no fdatasync runs for it: its waiter then spins for {@link Spinning#WAIT_NANOS} at most. */
    private final boolean brief;
    /**
     * Whether its waiter may spin first ({@link dev.jwal.core.WalOptions#spinWait()}). Set by the submitting
     * thread before the queue hands the request over, which is the thread that waits; a thread
     * that sees the default instead only spins, which is harmless.
     */
    boolean spin = true;

    private volatile int outcome = PENDING;
    private volatile Thread waiter;
    private Object result;
    private Throwable failure;
    /** Set by the thread holding the files, read by it when it tells the outcome. */
    private boolean settled;
    private Object settledResult;
    private Throwable settledFailure;

    LogRequest(String name, String action, boolean brief) {
        this.name = name;
        this.action = action;
        this.brief = brief;
    }

    /** What the writer was doing for this request, for the sentence a failure poisons with. */
    final String action() {
        return action;
    }

    /** The failure recorded, if any: what a save's future completes with. */
    final Throwable failure() {
        return failure;
    }

    /**
     * Writer side, while it holds the files: the outcome, kept until {@link #recordSettled} tells
     * it. False when the request was settled already; only the first outcome counts.
     */
    boolean settle(Object value, Throwable error) {
        if (settled) {
            return false;
        }
        settled = true;
        settledResult = value;
        settledFailure = error;
        return true;
    }

    /** Records the settled outcome, as {@link #record} does; false when it already had one. */
    boolean recordSettled() {
        return record(settledResult, settledFailure);
    }

    /** Writer side: the request succeeded; wakes its waiter. Only the first outcome counts. */
    boolean succeed(Object value) {
        boolean first = record(value, null);
        wake();
        return first;
    }

    /**
     * Writer side: sets the outcome without waking anyone yet, so that the request can be handed
     * to the completer first; false when it already had one.
     */
    boolean record(Object value, Throwable error) {
        if (outcome == DONE) {
            return false;
        }
        result = value;
        failure = error;
        outcome = DONE;
        return true;
    }

    /** Wakes the thread waiting for the outcome, if one is. */
    void wake() {
        Thread parked = waiter;
        if (parked != null) {
            LockSupport.unpark(parked);
        }
    }

    /**
     * Waits for the outcome on the calling thread. An interrupt ends the wait, not the request:
     * the flag is set again and {@link dev.jwal.core.WalInterruptedException} says the request may or may not
     * have taken effect.
     */
    Object await(String what) {
        if (!waitForOutcome(true)) {
            Thread.currentThread().interrupt();
            throw new WalInterruptedException(what, true, new InterruptedException());
        }
        return outcomeOrThrow();
    }

    /** Waits for the outcome whatever interrupts come; the flag is set again afterwards. */
    Object awaitUninterruptibly() {
        waitForOutcome(false);
        return outcomeOrThrow();
    }

    /**
     * Waits until the outcome is known: false when {@code interruptible} and the thread was
     * interrupted first (its flag is then clear). A few waiters spin before they park (see
     * {@link Spinning}), so that a lone writer pays no wake-up on top of its fdatasync.
     */
    boolean waitForOutcome(boolean interruptible) {
        return waitForOutcome(interruptible, -1) == WAITED;
    }

    /**
     * Waits until the outcome is known, for {@code timeoutNanos} at most (negative: no limit):
     * {@link #WAITED}, {@link #INTERRUPTED} (only when {@code interruptible}; the flag is then
     * clear) or {@link #TIMED_OUT}.
     */
    int waitForOutcome(boolean interruptible, long timeoutNanos) {
        if (outcome == DONE) {
            return WAITED;
        }
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        if (spin && Spinning.claim()) {
            try {
                long until = System.nanoTime() + (brief ? Spinning.WAIT_NANOS : Spinning.SYNC_WAIT_NANOS);
                if (timeoutNanos >= 0 && until - deadline > 0) {
                    until = deadline;
                }
                while (outcome != DONE && System.nanoTime() - until < 0) {
                    if (interruptible && Thread.currentThread().isInterrupted()) {
                        break;
                    }
                    Thread.onSpinWait();
                }
            } finally {
                Spinning.release();
            }
        }
        boolean interrupted = false;
        waiter = Thread.currentThread();
        Spinning.parking();
        try {
            while (outcome != DONE) {
                // Bounded: if another thread took the waiter's place, this one still sees the outcome.
                long park = 10_000_000L;
                if (timeoutNanos >= 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return TIMED_OUT;
                    }
                    park = Math.min(park, left);
                }
                LockSupport.parkNanos(this, park);
                if (Thread.interrupted()) {
                    if (interruptible) {
                        return INTERRUPTED;
                    }
                    interrupted = true;
                }
            }
            return WAITED;
        } finally {
            Spinning.parked();
            waiter = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Object outcomeOrThrow() {
        if (failure == null) {
            return result;
        }
        if (failure instanceof WalException wal) {
            // A new exception for this caller, carrying the writer's as its cause, would lose the
            // type callers test for; the writer's own exceptions are not shared mutable state.
            throw wal;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new WalException("wal: " + name + " failed: " + failure, failure);
    }
}

package dev.jwal.core.engine;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.WalException;
import dev.jwal.core.WalInterruptedException;
import dev.jwal.core.WalSnapshot;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * One piece of work for the {@link LogWriter}, and how its caller learns the outcome: a thread
 * parked in {@link #await} is woken by the writer directly (no user code runs on the writer), a
 * {@link SaveFuture} is completed by the {@link Completer}, in submission order.
 */
final class LogRequest {

    /** What the writer is asked to do. */
    enum Kind {
        /** Entries and a hard state, as etcd's Save. */
        SAVE,
        /** A snapshot marker, synced unless the policy is NONE. */
        SNAPSHOT,
        /** Flush and fdatasync whatever the policy. */
        SYNC,
        /** Flush to the file, so that readers by index see everything saved. */
        FLUSH,
        /** Release the locks of segments below an index. */
        RELEASE,
        /** Delete released segments beyond a count. */
        PURGE,
        /** Any other work that must run on the writer's thread (creating, opening, readying the tail). */
        TASK,
        /** Sync, close and stop. */
        CLOSE,
        /** Stop as a killed process would: nothing flushed or synced. */
        ABANDON
    }

    /** {@link #waitForOutcome(boolean, long)}: the outcome is known. */
    static final int WAITED = 0;
    /** {@link #waitForOutcome(boolean, long)}: the thread was interrupted first; its flag is clear. */
    static final int INTERRUPTED = 1;
    /** {@link #waitForOutcome(boolean, long)}: the time was up first. */
    static final int TIMED_OUT = 2;

    private static final int PENDING = 0;
    private static final int DONE = 1;

    final Kind kind;
    final HardState state;
    final List<Entry> entries;
    final WalSnapshot snapshot;
    final long number;
    final Callable<?> task;
    /** Under raft's MustSync rule this save needs an fdatasync before it is durable. */
    final boolean mustSync;
    /** About the bytes a save writes ({@link SaveRules#bytesOf}): what a group wait counts. */
    final long bytes;
    /** Backpressure permits held until the writer has written this request. */
    final int permits;
    /** Whether no fdatasync runs for it: its waiter then spins for {@link Spinning#WAIT_NANOS} at most. */
    final boolean brief;
    /**
     * Whether its waiter may spin first ({@link dev.jwal.core.WalOptions#spinWait()}). Set by the submitting
     * thread before the queue hands the request over, which is the thread that waits; a thread
     * that sees the default instead only spins, which is harmless.
     */
    boolean spin = true;
    /**
     * Whether the submitting thread claimed the files to write this save itself instead of
     * queueing it; set and read by that thread alone.
     */
    boolean writtenByCaller;
    final SaveFuture future;

    private static final AtomicIntegerFieldUpdater<LogRequest> JOINERS =
            AtomicIntegerFieldUpdater.newUpdater(LogRequest.class, "joiners");

    private volatile int outcome = PENDING;
    /** Callers joining this request's future, who will complete it themselves once it is done. */
    private volatile int joiners;
    /** Set once the writer has handed the request to the completer, just after its outcome. */
    private volatile boolean delivered;
    private volatile Thread waiter;
    private Object result;
    private Throwable failure;
    /** Set by the thread holding the files, read by it when it tells the outcome. */
    private boolean settled;
    private Object settledResult;
    private Throwable settledFailure;

    private LogRequest(Kind kind, HardState state, List<Entry> entries, WalSnapshot snapshot, long number,
            Callable<?> task, boolean mustSync, long bytes, int permits, SaveFuture future, boolean brief) {
        this.kind = kind;
        this.state = state;
        this.entries = entries;
        this.snapshot = snapshot;
        this.number = number;
        this.task = task;
        this.mustSync = mustSync;
        this.bytes = bytes;
        this.permits = permits;
        this.future = future;
        this.brief = brief;
    }

    /** A save; {@code synced} when the policy fdatasyncs it before it is done. */
    static LogRequest save(HardState state, List<Entry> entries, boolean mustSync, boolean synced, long bytes,
            int permits, SaveFuture future) {
        return new LogRequest(Kind.SAVE, state, entries, null, 0, null, mustSync, bytes, permits, future, !synced);
    }

    static LogRequest snapshot(WalSnapshot snapshot) {
        return new LogRequest(Kind.SNAPSHOT, null, List.of(), snapshot, 0, null, true, 0, 0, null, false);
    }

    static LogRequest of(Kind kind, long number) {
        return new LogRequest(kind, null, List.of(), null, number, null, kind == Kind.SYNC, 0, 0, null,
                kind == Kind.FLUSH || kind == Kind.RELEASE);
    }

    static LogRequest task(Callable<?> task) {
        return new LogRequest(Kind.TASK, null, List.of(), null, 0, task, false, 0, 0, null, false);
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

    /** A caller starts joining the future: it will complete it (and those before it) itself. */
    void joinerArrives() {
        JOINERS.incrementAndGet(this);
    }

    /** A joiner stops waiting, done or interrupted. */
    void joinerLeaves() {
        JOINERS.decrementAndGet(this);
    }

    /** The writer has handed this request to the completer (after recording its outcome). */
    void markDelivered() {
        delivered = true;
    }

    /**
     * Waits the few instructions between the writer recording the outcome, which a spinning
     * joiner may see at once, and handing the request to the completer, after which the joiner
     * can complete it itself.
     */
    void awaitDelivery() {
        for (int spins = 0; !delivered; spins++) {
            if (spins < 1_000) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 10_000L);
            }
        }
    }

    /** Whether a caller is joining the future now and so will complete it once the outcome is known. */
    boolean isJoined() {
        return joiners > 0;
    }

    /** Completes the future with the outcome; the completer calls it, in submission order. */
    void completeFuture() {
        if (failure != null) {
            future.completeExceptionally(failure);
        } else {
            future.complete(null);
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
        throw new WalException("wal: " + kind.name().toLowerCase(java.util.Locale.ROOT) + " failed: " + failure,
                failure);
    }
}

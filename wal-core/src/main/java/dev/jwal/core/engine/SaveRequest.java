package dev.jwal.core.engine;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * Entries and a hard state, as etcd's {@code Save}. An asynchronous save carries its
 * {@link SaveFuture}, which the {@link Completer} completes in submission order, or a caller
 * joining it completes itself.
 */
final class SaveRequest extends LogRequest {

    private static final AtomicIntegerFieldUpdater<SaveRequest> JOINERS =
            AtomicIntegerFieldUpdater.newUpdater(SaveRequest.class, "joiners");

    final HardState state;
    final List<Entry> entries;
    /** Under raft's MustSync rule this save needs an fdatasync before it is durable. */
    final boolean mustSync;
    /** About the bytes it writes ({@link SaveRules#bytesOf}): what a group wait counts. */
    final long bytes;
    /** Room it holds in the writer's queue ({@link QueueRoom}) until its outcome is told. */
    final int permits;
    /** The future of an asynchronous save; null for a save whose caller waits. */
    final SaveFuture future;
    /**
     * Whether the submitting thread claimed the files to write this save itself instead of
     * queueing it; set and read by that thread alone.
     */
    boolean writtenByCaller;

    /** Callers joining this request's future, who will complete it themselves once it is done. */
    private volatile int joiners;
    /** Set once the writer has handed the request to the completer, just after its outcome. */
    private volatile boolean delivered;

    /** A save; {@code synced} when the policy fdatasyncs it before it is done. */
    SaveRequest(HardState state, List<Entry> entries, boolean mustSync, boolean synced, long bytes, int permits,
            SaveFuture future) {
        super("save", "writing a save to", !synced);
        this.state = state;
        this.entries = entries;
        this.mustSync = mustSync;
        this.bytes = bytes;
        this.permits = permits;
        this.future = future;
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
        Throwable failure = failure();
        if (failure != null) {
            future.completeExceptionally(failure);
        } else {
            future.complete(null);
        }
    }
}

package dev.jwal.core.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Completes {@code Wal.saveAsync} futures off the log writer's thread, in the order the saves
 * were submitted: the writer hands over each request once it is durable (or failed), and whoever
 * holds the completion lock completes what is ready, in order, running the futures' callbacks.
 * That is this class's own thread, started with the first asynchronous save, or a caller that
 * joins a future: it waits for its save's outcome itself, then completes the futures up to its
 * own, so a lone writer waiting on its future pays no second hand-off. User code never runs on
 * the writer's thread.
 */
final class Completer {

    private final ConcurrentLinkedQueue<SaveRequest> ready = new ConcurrentLinkedQueue<>();
    private final ReentrantLock completing = new ReentrantLock();
    /** Futures handed out and not yet completed: while there are any, helping can make progress. */
    private final AtomicLong outstanding = new AtomicLong();
    private final String name;
    private volatile Thread thread;
    private volatile boolean stopping;

    Completer(String name) {
        this.name = name;
    }

    /** A future for a save about to be submitted; {@link SaveFuture#bind} gives it its request. */
    SaveFuture newFuture() {
        start();
        outstanding.incrementAndGet();
        return new SaveFuture(this);
    }

    private synchronized void start() {
        if (thread == null) {
            Thread started = new Thread(this::run, "jwal-completer " + name);
            started.setDaemon(true);
            thread = started;
            started.start();
        }
    }

    /**
     * Writer side: the request's outcome is known; its future completes in turn. When a caller is
     * joining it, that caller completes it (and every ready one before it) as soon as it wakes, so
     * the completer thread is not woken too: on a machine with few CPUs that second wake-up per
     * save costs as much as the save's own. A joiner that leaves without completing wakes it.
     */
    void deliver(SaveRequest request) {
        ready.add(request);
        request.markDelivered();
        if (!request.isJoined()) {
            wakeThread();
        }
    }

    private void wakeThread() {
        Thread completer = thread;
        if (completer != null) {
            LockSupport.unpark(completer);
        }
    }

    /** Whether the calling thread is completing futures now: their callbacks run on it. */
    boolean isCompletingHere() {
        return Thread.currentThread() == thread || completing.isHeldByCurrentThread();
    }

    /** Stops once every future delivered so far is completed; returns the thread to join, if any. */
    synchronized Thread stop() {
        stopping = true;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
        return thread;
    }

    private void run() {
        while (true) {
            drain();
            if (ready.isEmpty()) {
                if (stopping) {
                    return;
                }
                LockSupport.park(this);
                // Nobody interrupts this private thread on purpose; futures must still complete.
                Thread.interrupted();
            }
        }
    }

    /** Completes, in order, every future whose outcome is ready. */
    private void drain() {
        completing.lock();
        try {
            SaveRequest next;
            while ((next = ready.poll()) != null) {
                outstanding.decrementAndGet();
                next.completeFuture();
            }
        } finally {
            completing.unlock();
        }
    }

    /**
     * A caller joining the future of {@code request}: waits for the outcome on its own thread,
     * then completes the futures up to its own. False when {@code interruptible} and interrupted.
     */
    boolean awaitAndComplete(SaveRequest request, boolean interruptible) {
        return awaitAndComplete(request, interruptible, -1) == LogRequest.WAITED;
    }

    /**
     * {@link #awaitAndComplete(SaveRequest, boolean)}, interruptibly and for {@code timeoutNanos}
     * at most: a timed {@code get} waits on its own thread as {@code join} does, instead of for
     * the completer thread and then for being woken by it. {@link LogRequest#WAITED},
     * {@link LogRequest#INTERRUPTED} (the flag clear) or {@link LogRequest#TIMED_OUT}.
     */
    int awaitAndComplete(SaveRequest request, long timeoutNanos) {
        return awaitAndComplete(request, true, Math.max(0, timeoutNanos));
    }

    private int awaitAndComplete(SaveRequest request, boolean interruptible, long timeoutNanos) {
        request.joinerArrives();
        int outcome;
        try {
            outcome = request.waitForOutcome(interruptible, timeoutNanos);
        } finally {
            request.joinerLeaves();
        }
        if (outcome != LogRequest.WAITED) {
            // The writer may have left this request to this joiner: the completer takes it over.
            wakeThread();
            return outcome;
        }
        // A spinning joiner can see the outcome before the writer has queued the request; once it
        // is queued, this thread completes it, which matters most when this thread is the
        // completer's own (a callback joining a later save): nobody else would.
        request.awaitDelivery();
        drain();
        return LogRequest.WAITED;
    }

    /**
     * Joining a stage chained on a save's future: where waiting would block the futures' own
     * completion (on this class's thread, or inside a callback that holds the completion lock),
     * completes them here until the stage is done or none is left; elsewhere, does nothing.
     */
    void helpUntilDone(CompletableFuture<?> stage) {
        if (Thread.currentThread() != thread && !completing.isHeldByCurrentThread()) {
            return;
        }
        while (!stage.isDone() && outstanding.get() > 0) {
            drain();
            if (!stage.isDone() && ready.isEmpty()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }
}

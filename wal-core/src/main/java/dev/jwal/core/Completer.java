package dev.jwal.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Completes {@link Wal#saveAsync} futures off the log writer's thread, in the order the saves
 * were submitted: the writer hands over each request once it is durable (or failed), and this
 * thread runs the futures' callbacks, so user code never delays the writer. Started with the
 * first asynchronous save.
 */
final class Completer {

    private static final LogRequest STOP = LogRequest.of(LogRequest.Kind.CLOSE, 0);

    private final LinkedBlockingQueue<LogRequest> ready = new LinkedBlockingQueue<>();
    /** Futures handed out and not yet completed: while there are any, helping can make progress. */
    private final AtomicLong outstanding = new AtomicLong();
    private final String name;
    private volatile Thread thread;

    Completer(String name) {
        this.name = name;
    }

    /** A future for a save about to be submitted. */
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

    /** Writer side: the request's outcome is known; its future completes in turn. */
    void deliver(LogRequest request) {
        ready.add(request);
    }

    /** Stops once every future delivered so far is completed; returns the thread to join, if any. */
    synchronized Thread stop() {
        if (thread != null) {
            ready.add(STOP);
        }
        return thread;
    }

    private void run() {
        while (true) {
            LogRequest next;
            try {
                next = ready.take();
            } catch (InterruptedException e) {
                // Nobody interrupts this private thread on purpose; futures must still complete.
                continue;
            }
            if (next == STOP) {
                return;
            }
            complete(next);
        }
    }

    private void complete(LogRequest request) {
        outstanding.decrementAndGet();
        request.completeFuture();
    }

    /**
     * On the completer thread, completes futures in order until {@code future} is done (or none
     * is outstanding, when it waits on something else); elsewhere, does nothing.
     */
    void helpUntilDone(CompletableFuture<?> future) {
        if (Thread.currentThread() != thread) {
            return;
        }
        while (!future.isDone() && outstanding.get() > 0) {
            LogRequest next;
            try {
                next = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next == STOP) {
                ready.add(STOP);
                return;
            }
            complete(next);
        }
    }
}

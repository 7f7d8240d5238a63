package dev.jwal.core.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of {@code Wal.saveAsync}. Futures are completed in save order, by the WAL's
 * completer thread or by a caller that waits on one: {@code join} and {@code get} wait for the
 * save's outcome on the calling thread and then complete the futures up to this one themselves,
 * so a lone writer pays no second hand-off, and a callback may wait for a later save without
 * waiting for the thread it runs on.
 */
final class SaveFuture extends CompletableFuture<Void> {

    private final Completer completer;
    private volatile SaveRequest request;

    SaveFuture(Completer completer) {
        this.completer = completer;
    }

    /** Ties the future to its request, before the request is submitted. */
    void bind(SaveRequest submitted) {
        this.request = submitted;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new ChainedStage<>(completer, this);
    }

    /**
     * Waits for the save's outcome on the calling thread and completes the futures up to this
     * one, as {@link #join} does, without throwing its failure; false when {@code interruptible}
     * and interrupted first.
     */
    boolean awaitOutcome(boolean interruptible) {
        return isDone() || completer.awaitAndComplete(request, interruptible);
    }

    @Override
    public Void join() {
        if (!isDone()) {
            completer.awaitAndComplete(request, false);
        }
        return super.join();
    }

    @Override
    public Void get() throws InterruptedException, ExecutionException {
        if (!isDone() && !completer.awaitAndComplete(request, true)) {
            throw new InterruptedException("interrupted while waiting for a save, which may or may not be durable");
        }
        return super.get();
    }

    /**
     * Waits as {@link #get()} does, for {@code timeout} at most: a time-out, like an interrupt,
     * ends this wait only, and the save may or may not become durable.
     */
    @Override
    public Void get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        awaitOrThrow(unit.toNanos(timeout));
        return super.get(0, TimeUnit.NANOSECONDS);
    }

    /**
     * The timed wait of this save's future and of stages chained on it: returns once the save's
     * future is complete, or throws as a timed {@code get} does.
     */
    void awaitOrThrow(long timeoutNanos) throws InterruptedException, TimeoutException {
        if (isDone()) {
            return;
        }
        int outcome = completer.awaitAndComplete(request, timeoutNanos);
        if (outcome == LogRequest.INTERRUPTED) {
            throw new InterruptedException("interrupted while waiting for a save, which may or may not be durable");
        }
        if (outcome == LogRequest.TIMED_OUT) {
            throw new TimeoutException("timed out waiting for a save, which may or may not be durable");
        }
    }

    /**
     * A stage chained on a save's future. Joined, it first waits for that save as joining the
     * save's own future would, so the joiner completes it (and this stage's callbacks run) on its
     * own thread instead of waiting for the completer thread and then being woken by it: two
     * wake-ups that cost more than an unsynced save. Where waiting would block the completion
     * itself, it helps complete.
     */
    static final class ChainedStage<T> extends CompletableFuture<T> {

        private final Completer completer;
        /** The save this stage hangs from, directly or through other stages. */
        private final SaveFuture save;

        ChainedStage(Completer completer, SaveFuture save) {
            this.completer = completer;
            this.save = save;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new ChainedStage<>(completer, save);
        }

        @Override
        public T join() {
            if (!isDone()) {
                save.awaitOutcome(false);
            }
            completer.helpUntilDone(this);
            return super.join();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            if (!isDone() && !save.awaitOutcome(true)) {
                throw new InterruptedException("interrupted while waiting for a save, which may or may not be durable");
            }
            completer.helpUntilDone(this);
            return super.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            if (!isDone()) {
                save.awaitOrThrow(unit.toNanos(timeout));
            }
            completer.helpUntilDone(this);
            return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}

package dev.jwal.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of {@link Wal#saveAsync}. Futures are completed in save order, by the WAL's
 * completer thread or by a caller that waits on one: {@code join} and {@code get} wait for the
 * save's outcome on the calling thread and then complete the futures up to this one themselves,
 * so a lone writer pays no second hand-off, and a callback may wait for a later save without
 * waiting for the thread it runs on.
 */
final class SaveFuture extends CompletableFuture<Void> {

    private final Completer completer;
    private volatile LogRequest request;

    SaveFuture(Completer completer) {
        this.completer = completer;
    }

    /** Ties the future to its request, before the request is submitted. */
    void bind(LogRequest submitted) {
        this.request = submitted;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new ChainedStage<>(completer);
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

    @Override
    public Void get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        completer.helpUntilDone(this);
        return super.get(timeout, unit);
    }

    /** A stage chained on a save's future: joined where waiting would block, it helps complete. */
    static final class ChainedStage<T> extends CompletableFuture<T> {

        private final Completer completer;

        ChainedStage(Completer completer) {
            this.completer = completer;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new ChainedStage<>(completer);
        }

        @Override
        public T join() {
            completer.helpUntilDone(this);
            return super.join();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            completer.helpUntilDone(this);
            return super.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            completer.helpUntilDone(this);
            return super.get(timeout, unit);
        }
    }
}

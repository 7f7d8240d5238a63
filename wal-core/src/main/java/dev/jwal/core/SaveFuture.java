package dev.jwal.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of {@link Wal#saveAsync}. Futures are completed in save order on the WAL's completer
 * thread, where their callbacks run. A callback that waits for a later save's future (or a stage
 * chained on one) would wait for the thread it runs on; so on that thread, {@code join} and
 * {@code get} complete the futures ahead of it themselves, in order, instead of blocking.
 */
final class SaveFuture extends CompletableFuture<Void> {

    private final Completer completer;

    SaveFuture(Completer completer) {
        this.completer = completer;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new ChainedStage<>(completer);
    }

    @Override
    public Void join() {
        completer.helpUntilDone(this);
        return super.join();
    }

    @Override
    public Void get() throws InterruptedException, ExecutionException {
        completer.helpUntilDone(this);
        return super.get();
    }

    @Override
    public Void get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        completer.helpUntilDone(this);
        return super.get(timeout, unit);
    }

    /** A stage chained on a save's future: joined on the completer thread, it helps the same way. */
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

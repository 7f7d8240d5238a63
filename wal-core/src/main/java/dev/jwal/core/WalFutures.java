package dev.jwal.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Waiting for a {@link Wal#saveAsync} future, or a stage chained on one, as {@link Wal#save}
 * waits: the save's outcome is awaited on the calling thread, an interrupt ends only the wait
 * ({@link WalInterruptedException}, the flag set again: the save may or may not be durable), and a
 * failed save is thrown as the WAL threw it, its type intact.
 */
public final class WalFutures {

    private WalFutures() {
    }

    /**
     * The future's value once it completes.
     *
     * @param what what is awaited, for the messages ("the append")
     */
    public static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalInterruptedException(what, true, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new WalException(what + " failed: " + e.getCause(), e.getCause());
        }
    }
}

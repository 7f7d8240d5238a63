package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.log.LogRecoveryHandler;

/**
 * Rebuilds the application's state from the application log at startup ({@code wal.api=log}):
 * {@link #begin} with the compaction point (the application's own snapshot must reach it), then
 * every record after it in index order ({@link #record}), or from the handler's own
 * {@link #fromIndex()}, streamed from the files in bounded memory in the same pass that checks
 * them, then {@link #end} with the last index.
 *
 * <p>Beans of this type are called in their {@link org.springframework.core.annotation.Order
 * order}, each record to each handler in turn, once, while the {@code WalLog} bean is being
 * created: before any other bean can append. An exception fails startup.
 */
public interface WalLogRecoveryHandler extends LogRecoveryHandler {
}

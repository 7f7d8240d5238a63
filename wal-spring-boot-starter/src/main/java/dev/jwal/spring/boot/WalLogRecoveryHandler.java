package dev.jwal.spring.boot;

import dev.jwal.core.log.LogRecord;

/**
 * Rebuilds the application's state from the application log at startup ({@code wal.api=log}):
 * {@link #begin} with the compaction point (the application's own snapshot must reach it), then
 * every record after it in index order ({@link #record}), streamed from the files in bounded
 * memory, then {@link #end} with the last index.
 *
 * <p>Beans of this type are called in their {@link org.springframework.core.annotation.Order
 * order}, each record to each handler in turn, once, while the {@code WalLog} bean is being
 * created: before any other bean can append. An exception fails startup.
 */
public interface WalLogRecoveryHandler {

    /**
     * Recovery starts; called first, once.
     *
     * @param compactedThrough the last index the newest compaction covers (0 if none): records up
     *     to it are in the application's snapshot, not in the log
     */
    default void begin(long compactedThrough) {
    }

    /** The next record after the compaction point. */
    void record(LogRecord record);

    /** Recovery is over; called last, once. {@code lastIndex} is 0 for an empty log. */
    default void end(long lastIndex) {
    }
}

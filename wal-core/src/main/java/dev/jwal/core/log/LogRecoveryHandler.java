package dev.jwal.core.log;

/**
 * Rebuilds an application's state while {@link WalLog#open(dev.jwal.core.WalStartup, int, LogRecoveryHandler)}
 * reads the log: {@link #begin} with the compaction point (the application's own snapshot must
 * reach it), then every record after it in index order ({@link #record}), in the same pass that
 * checks them and in bounded memory, then {@link #end} with the last index. Each is called once,
 * before the log can be appended to; an exception ends the open, the log closed.
 */
public interface LogRecoveryHandler {

    /** Takes nothing: the log is only checked. */
    LogRecoveryHandler NONE = record -> {
    };

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

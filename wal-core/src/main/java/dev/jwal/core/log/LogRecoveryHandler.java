package dev.jwal.core.log;

/**
 * Rebuilds an application's state while {@link WalLog#open(dev.jwal.core.WalStartup, int, LogRecoveryHandler)}
 * reads the log: {@link #begin} with the compaction point (the application's own snapshot must
 * reach it), then every record after it, or from {@link #fromIndex()}, in index order
 * ({@link #record}), in the same pass that checks them and in bounded memory, then {@link #end}
 * with the last index. Each is called once,
 * before the log can be appended to; an exception ends the open, the log closed.
 */
public interface LogRecoveryHandler {

    /**
     * Takes nothing: only the segments the log's checkpoint does not vouch for are read and
     * checked at open (the rest are checked in the background afterwards).
     */
    LogRecoveryHandler NONE = new LogRecoveryHandler() {
        @Override
        public void record(LogRecord record) {
        }

        @Override
        public long fromIndex() {
            return -1;
        }
    };

    /**
     * The first index whose record this handler needs, such as the index after the application's
     * own checkpoint: records below it are not handed over, and sealed segments that hold only
     * such records are not read at all when the log's checkpoint vouches for them. Unsigned;
     * {@code 0}, the default, asks for every record after the compaction point; {@code -1} for none.
     */
    default long fromIndex() {
        return 0;
    }

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

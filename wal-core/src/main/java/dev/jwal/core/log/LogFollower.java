package dev.jwal.core.log;

/**
 * What a {@link WalLog#follow} subscription hands records to, on the subscription's own thread,
 * one call at a time: never on a thread that appends, so a slow follower never slows the log.
 */
public interface LogFollower {

    /** The next record, in index order, each exactly once. An exception thrown here ends the subscription. */
    void record(LogRecord record);

    /**
     * Everything acknowledged up to {@code lastIndex} has been handed over and the follower waits
     * for more: once each time it catches up, not repeatedly while it waits.
     */
    default void caughtUp(long lastIndex) {
    }

    /**
     * The subscription ended: {@code cause} is null when it was cancelled or the log closed, else
     * why (a {@link RecordCompactedException} when a compaction removed records it had not read
     * yet, the follower's own exception, a failed read). Called once, last.
     */
    default void ended(Throwable cause) {
    }
}

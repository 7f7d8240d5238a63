package dev.jwal.core.log;

import dev.jwal.core.WalException;

/**
 * An append that expected another last index than the log has: another writer appended first.
 * Nothing was written; read what was appended since, then decide again.
 */
public class AppendConflictException extends WalException {

    private final long expected;
    private final long actual;

    public AppendConflictException(long expected, long actual) {
        super("wal log: the append expected last index " + Long.toUnsignedString(expected) + ", but the log's last index is "
                + Long.toUnsignedString(actual) + "; nothing was written");
        this.expected = expected;
        this.actual = actual;
    }

    /** The last index the append expected. */
    public long expected() {
        return expected;
    }

    /** The log's last index when the append was refused. */
    public long actual() {
        return actual;
    }
}

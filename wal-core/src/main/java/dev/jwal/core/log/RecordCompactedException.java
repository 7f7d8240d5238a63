package dev.jwal.core.log;

import dev.jwal.core.WalException;

/** A read of a record that a compaction covers: the application's snapshot holds it, the log no longer does. */
public class RecordCompactedException extends WalException {

    private final long index;
    private final long compactedThrough;

    public RecordCompactedException(long index, long compactedThrough) {
        super("wal log: record " + Long.toUnsignedString(index) + " was compacted (the log is compacted through "
                + Long.toUnsignedString(compactedThrough) + "; the first it holds is "
                + Long.toUnsignedString(compactedThrough + 1) + ")");
        this.index = index;
        this.compactedThrough = compactedThrough;
    }

    /** The index asked for. */
    public long index() {
        return index;
    }

    /** The last index the newest compaction covers. */
    public long compactedThrough() {
        return compactedThrough;
    }
}

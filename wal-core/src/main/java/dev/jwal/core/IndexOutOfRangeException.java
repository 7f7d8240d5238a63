package dev.jwal.core;

/**
 * A read by index asked for an entry the WAL cannot serve: at or below the snapshot it was opened
 * at, in segments already purged, or after the last index.
 */
public class IndexOutOfRangeException extends WalException {

    private final long index;
    private final long first;
    private final long last;

    public IndexOutOfRangeException(long index, long first, long last, String why) {
        super("wal: index " + Long.toUnsignedString(index) + " is out of range (" + why + "; this WAL serves "
                + (Long.compareUnsigned(first, last) > 0 ? "no entries"
                        : Long.toUnsignedString(first) + " to " + Long.toUnsignedString(last)) + ")");
        this.index = index;
        this.first = first;
        this.last = last;
    }

    /** The index asked for. */
    public long index() {
        return index;
    }

    /** The first index the WAL could serve when asked. */
    public long firstAvailable() {
        return first;
    }

    /** The last index the WAL held when asked. */
    public long lastIndex() {
        return last;
    }
}

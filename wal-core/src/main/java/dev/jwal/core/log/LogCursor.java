package dev.jwal.core.log;

import dev.jwal.core.Entry;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a {@link WalLog}'s records in order, {@value #BATCH} at a time, from the files. Not
 * thread-safe: one reader per cursor.
 */
public final class LogCursor implements Iterator<LogRecord> {

    /** Records read per batch: what a cursor holds in memory at most. */
    static final int BATCH = 128;

    private final WalLog log;
    private long next;
    private List<Entry> batch = List.of();
    private int position;

    LogCursor(WalLog log, long fromIndex) {
        this.log = log;
        this.next = fromIndex;
    }

    /** Whether an acknowledged record at the next index is there to read now. */
    @Override
    public boolean hasNext() {
        if (position < batch.size()) {
            return true;
        }
        long last = log.lastIndex();
        if (next > last) {
            return false;
        }
        batch = log.entries(next, Math.min(last + 1, next + BATCH));
        position = 0;
        return !batch.isEmpty();
    }

    /**
     * The next record.
     *
     * @throws NoSuchElementException when {@link #hasNext()} is false
     * @throws RecordCompactedException when a compaction removed the records ahead of the cursor
     */
    @Override
    public LogRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no record at index " + next + " yet");
        }
        Entry entry = batch.get(position++);
        next = entry.index() + 1;
        return new LogRecord(entry.index(), entry.data());
    }

    /** The index the next record will have. */
    public long nextIndex() {
        return next;
    }
}

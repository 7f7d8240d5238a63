package dev.jwal.core.log;

import dev.jwal.core.Entry;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a {@link WalLog}'s records in order from the files, a batch of about
 * {@value #BATCH_BYTES} bytes at a time (between {@value #MIN_BATCH} and {@value #MAX_BATCH}
 * records, sized by the records read so far): memory stays bounded whatever the log's size, and
 * small records are not read a few at a time. Not thread-safe: one reader per cursor.
 */
public final class LogCursor implements Iterator<LogRecord> {

    /** About the record bytes a batch holds: what a cursor keeps in memory. */
    static final int BATCH_BYTES = 1 << 20;

    /** Records in the first batch, and in any batch at least. */
    static final int MIN_BATCH = 128;

    /** Records in a batch at most, however small they are. */
    static final int MAX_BATCH = 8192;

    private final WalLog log;
    private long next;
    private List<Entry> batch = List.of();
    private int position;
    private int batchSize = MIN_BATCH;

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
        batch = log.entries(next, Math.min(last + 1, next + batchSize));
        position = 0;
        resize();
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

    /** Sizes the next batch from the first {@value #MIN_BATCH} records of this one, when it was full. */
    private void resize() {
        if (batch.size() < batchSize) {
            return;
        }
        long bytes = 0;
        for (int i = 0; i < MIN_BATCH; i++) {
            bytes += batch.get(i).dataLength();
        }
        long average = Math.max(1, bytes / MIN_BATCH);
        batchSize = (int) Math.max(MIN_BATCH, Math.min(MAX_BATCH, BATCH_BYTES / average));
    }

    /** The index the next record will have. */
    public long nextIndex() {
        return next;
    }
}

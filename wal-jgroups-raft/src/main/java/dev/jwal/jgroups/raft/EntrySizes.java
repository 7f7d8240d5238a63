package dev.jwal.jgroups.raft;

import java.util.Arrays;

/**
 * The command bytes of the live entries, kept as running totals so that {@link
 * org.jgroups.protocols.raft.Log#sizeInBytes()} is exact after appends, overwrites and
 * truncations alike without reading the log. Eight bytes per live entry; RAFT keeps its log short
 * by snapshotting once it passes {@code max_log_size}.
 */
final class EntrySizes {

    /** Index of the entry whose running total is {@code totals[head]}. */
    private long firstIndex = 1;
    private long[] totals = new long[256];
    private int head;
    private int count;
    /** The running total just before {@code firstIndex}. */
    private long base;

    /** Forgets everything: the next entry recorded is {@code nextIndex}. */
    void reset(long nextIndex) {
        firstIndex = nextIndex;
        head = 0;
        count = 0;
        base = 0;
    }

    /** Records the entry at {@code index} (the next one, or an overwrite of a later suffix). */
    void record(long index, int bytes) {
        dropFrom(index);
        if (count == 0) {
            firstIndex = index;
            head = 0;
            base = 0;
        } else if (index != firstIndex + count) {
            throw new IllegalArgumentException("entry " + index + " does not follow " + (firstIndex + count - 1));
        }
        if (head + count == totals.length) {
            if (head > totals.length / 2) {
                System.arraycopy(totals, head, totals, 0, count);
                head = 0;
            } else {
                totals = Arrays.copyOf(totals, totals.length * 2);
            }
        }
        long before = count == 0 ? base : totals[head + count - 1];
        totals[head + count] = before + bytes;
        count++;
    }

    /** Forgets the entries from {@code index} on. */
    void dropFrom(long index) {
        if (count > 0 && index < firstIndex + count) {
            count = (int) Math.max(0, index - firstIndex);
        }
    }

    /** Forgets the entries before {@code index}. */
    void dropBefore(long index) {
        if (count == 0 || index <= firstIndex) {
            return;
        }
        int drop = (int) Math.min(count, index - firstIndex);
        base = totals[head + drop - 1];
        head += drop;
        count -= drop;
        firstIndex += drop;
    }

    /** The command bytes of every entry recorded and not dropped. */
    long total() {
        return count == 0 ? 0 : totals[head + count - 1] - base;
    }
}

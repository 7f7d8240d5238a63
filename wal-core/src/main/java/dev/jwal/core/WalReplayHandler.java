package dev.jwal.core;

/**
 * Receives the entries of a WAL one at a time as {@link Wal#replay} reads them, so that an
 * application can apply them as they come, in bounded memory.
 */
public interface WalReplayHandler {

    /**
     * The next entry after the snapshot. Indexes rise by one, except that an entry may follow a
     * {@link #truncated(long)} at its own index.
     */
    void entry(Entry entry);

    /**
     * Raft overwrote the log from {@code index} on (a new leader replaced an uncommitted
     * suffix): every entry at {@code index} or above that was handed over before is void. The
     * replacing entry, at {@code index}, is handed over next.
     */
    void truncated(long index);
}

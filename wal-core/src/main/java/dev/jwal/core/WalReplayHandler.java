package dev.jwal.core;

/**
 * Receives the entries of a WAL one at a time as {@link Wal#replay} reads them, so that an
 * application can apply them as they come, in bounded memory.
 */
public interface WalReplayHandler {

    /**
     * The metadata the WAL was created with, as soon as it is read: once, before any entry (every
     * segment starts with it), so that a handler can refuse another program's WAL before it takes
     * a single entry. Empty when none was written.
     */
    default void metadata(byte[] metadata) {
    }

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

    /**
     * The first index whose entry this handler needs; entries below it need not be handed over.
     * A writable WAL then skips reading the sealed segments that hold only such entries when its
     * checkpoint vouches for them (names, sizes and the chain of checksums agree with the files),
     * and hands over the entries of the segments it does read, as before. Unsigned; the default,
     * {@code 0}, asks for every entry, as etcd's {@code ReadAll}; {@code -1} asks for none.
     */
    default long entriesFrom() {
        return 0;
    }
}

package dev.jwal.core;

import java.util.List;
import java.util.Optional;

/**
 * What {@link Wal#readAll()} recovered: the metadata given at create, the last hard state, and
 * the entries after the snapshot the WAL was opened at, with raft's overwrites applied.
 *
 * @param metadata the metadata bytes, or {@code null} when no metadata record was read
 * @param hardState the last hard state read, or {@link HardState#EMPTY}
 * @param entries the entries, in index order
 * @param tornTail for a WAL opened with {@link Wal#openForRead}: where reading stopped early
 *     because the log ends inside a record (etcd accepts this in read mode); empty when the log
 *     ended cleanly. etcd's kind: {@link UnexpectedEofException#isTornTail()} says whether it
 *     really is a torn tail, or corruption etcd reads the same way (readable records after the
 *     damage, a short middle segment), as {@link WalDirectory#examine} would call it
 */
public record WalContents(byte[] metadata, HardState hardState, List<Entry> entries,
        Optional<UnexpectedEofException> tornTail) {

    public WalContents {
        entries = List.copyOf(entries);
    }
}

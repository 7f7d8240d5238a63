package dev.jwal.core;

/**
 * A snapshot marker in the WAL ({@code walpb.Snapshot}): the raft index and term at which a
 * snapshot was taken, and, since etcd 3.5, the membership then. A WAL is opened at one of these.
 *
 * @param index the raft index of the snapshot (unsigned)
 * @param term its term (unsigned)
 * @param confState the membership, or {@code null} (etcd 3.4 writes none)
 */
public record WalSnapshot(long index, long term, ConfState confState) {

    /** The snapshot at index 0 that {@link Wal#create} writes: opening there reads everything. */
    public static final WalSnapshot ZERO = new WalSnapshot(0, 0, null);

    /** A marker without membership, as etcd 3.4 writes. */
    public static WalSnapshot of(long index, long term) {
        return new WalSnapshot(index, term, null);
    }
}

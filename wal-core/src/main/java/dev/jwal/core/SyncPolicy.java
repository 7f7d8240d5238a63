package dev.jwal.core;

/** When a {@link Wal} calls fdatasync on its tail segment. */
public enum SyncPolicy {

    /**
     * etcd's rule: {@link Wal#save} returns after an fdatasync whenever raft's {@code MustSync}
     * holds (there are entries, or the term or vote changed); snapshots and explicit
     * {@link Wal#sync()} calls always sync. A save that returned is durable.
     */
    ALWAYS,

    /**
     * Never fdatasync, except on a segment cut, on {@link Wal#close()} and on an explicit
     * {@link Wal#sync()}. Records still reach the file (the page cache) on the same schedule as
     * under {@link #ALWAYS}, so the files are byte for byte the same; what a power loss takes is
     * everything since the last sync. For tests and bulk loads.
     */
    NONE
}

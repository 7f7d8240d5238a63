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
     * Group commit: a save returns, as under {@link #ALWAYS}, only once its records are durable;
     * concurrent saves share fdatasyncs. The WAL's log writer takes everything queued, writes it
     * with one write and makes it durable with one fdatasync; whatever is saved meanwhile rides on
     * the next. {@link WalOptions#groupWait()} lets a sync wait for more saves to join, up to
     * {@link WalOptions#groupMaxBytes()}. BookKeeper's journal and Ratis' log worker work so.
     * {@link Wal#saveAsync} returns before the sync, with a future completed after it. The files
     * are byte for byte those {@link #ALWAYS} writes for the same saves in the same order, cuts
     * included: a segment is cut where {@code ALWAYS} would have cut it, whatever was batched.
     */
    GROUP,

    /**
     * fdatasync in the background, at most once every {@link WalOptions#syncInterval()} and only
     * when something was written since the last sync; {@link Wal#save} returns once the log
     * writer has written its records to the file (the page cache). A process crash loses nothing that was saved; a
     * power loss or kernel crash loses at most what was saved in the last interval plus the sync
     * then under way. Cuts, snapshots, {@link Wal#sync()} and {@link Wal#close()} still sync at
     * once. Redis' {@code appendfsync everysec}.
     */
    INTERVAL,

    /**
     * Never fdatasync, except on a segment cut, on a snapshot marker ({@link Wal#saveSnapshot}, which
     * an application's compaction acts on), on {@link Wal#close()} and on an explicit
     * {@link Wal#sync()}. Records still reach the file (the page cache) on the same schedule as
     * under {@link #ALWAYS}, so the files are byte for byte the same; what a power loss takes is
     * everything since the last sync. For tests and bulk loads.
     */
    NONE
}

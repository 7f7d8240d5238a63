package dev.jwal.spring.boot.autoconfigure;

/** The API a WAL directory is written through ({@code wal.api}). */
public enum WalApi {

    /** {@link dev.jwal.core.Wal}: raft's entries, hard states and snapshot markers. */
    RAFT,

    /** {@link dev.jwal.core.log.WalLog}: an application log of byte records. */
    LOG
}

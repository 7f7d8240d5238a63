package dev.jwal.core;

/**
 * No snapshot record matched the snapshot the WAL was opened at: etcd's
 * {@code ErrSnapshotNotFound}. Like etcd, {@link Wal#readAll()} still read everything: the
 * contents are here, and a WAL opened for writing is ready to append.
 */
public class SnapshotNotFoundException extends WalException {

    private final transient WalContents contents;

    public SnapshotNotFoundException(WalSnapshot requested, WalContents contents) {
        super("wal: snapshot not found: no snapshot record at index " + requested.index() + " term "
                + requested.term());
        this.contents = contents;
    }

    /** What was read, or {@code null} when the error came from {@link WalDirectory#verifyOrThrow}. */
    public WalContents contents() {
        return contents;
    }
}

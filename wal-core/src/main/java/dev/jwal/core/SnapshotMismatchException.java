package dev.jwal.core;

/** The WAL holds a snapshot record at the requested index, but with another term. */
public class SnapshotMismatchException extends WalException {

    public SnapshotMismatchException(WalSnapshot requested, long termFound) {
        super("wal: snapshot mismatch: requested index " + requested.index() + " term " + requested.term()
                + ", the WAL has term " + termFound);
    }
}

package dev.jwal.core;

/** The WAL was closed. */
public class WalClosedException extends WalException {

    public WalClosedException() {
        super("wal: closed");
    }
}

package dev.jwal.core;

import java.nio.file.Path;

/**
 * Data on disk that cannot be what jwal or etcd wrote: a checksum, a frame or a record that does
 * not hold up. Corruption is never repaired automatically; {@link WalDirectory#repair(Path)} only cuts a
 * torn tail ({@link UnexpectedEofException}).
 */
public class WalCorruptionException extends WalException {

    public WalCorruptionException(String message, Path file, long offset) {
        super(message, file, offset, null);
    }
}

package dev.jwal.core;

import java.nio.file.Path;

/** A record whose CRC-32C does not match the rolling checksum: etcd's {@code ErrCRCMismatch}. */
public class CrcMismatchException extends WalCorruptionException {

    public CrcMismatchException(Path file, long offset) {
        super("wal: crc mismatch", file, offset);
    }
}

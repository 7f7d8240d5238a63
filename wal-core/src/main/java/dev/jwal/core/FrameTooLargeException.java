package dev.jwal.core;

import java.nio.file.Path;

/**
 * A frame whose length field is beyond the record size limit: etcd 3.4's
 * {@code ErrMaxWALEntrySizeLimitExceeded}. Almost always a corrupted length field.
 */
public class FrameTooLargeException extends WalCorruptionException {

    public FrameTooLargeException(long recordBytes, long limit, Path file, long offset) {
        super("wal: max entry size limit exceeded: frame of " + recordBytes + " bytes, limit " + limit, file, offset);
    }
}

package dev.jwal.core;

import java.nio.file.Path;

/** Two segments carry different metadata: etcd's {@code ErrMetadataConflict}. */
public class MetadataConflictException extends WalCorruptionException {

    public MetadataConflictException(Path file, long offset) {
        super("wal: metadata conflict", file, offset);
    }
}

package dev.jwal.core;

import java.nio.file.Path;

/** A record or message whose protobuf bytes do not decode (etcd reports these as {@code proto: ...}). */
public class RecordDecodeException extends WalCorruptionException {

    public RecordDecodeException(String reason, Path file, long offset) {
        super("proto: " + reason, file, offset);
    }
}

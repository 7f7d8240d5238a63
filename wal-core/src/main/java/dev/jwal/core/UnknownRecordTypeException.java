package dev.jwal.core;

import java.nio.file.Path;

/** A record of a type other than the five etcd writes: etcd's "unexpected block type". */
public class UnknownRecordTypeException extends WalCorruptionException {

    private final long type;

    public UnknownRecordTypeException(long type, Path file, long offset) {
        super("unexpected block type " + type, file, offset);
        this.type = type;
    }

    /** The record type found. */
    public long type() {
        return type;
    }
}

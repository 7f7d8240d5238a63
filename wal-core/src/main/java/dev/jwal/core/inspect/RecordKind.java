package dev.jwal.core.inspect;

import dev.jwal.core.engine.codec.RecordType;
import java.util.Optional;

/** The five record types of etcd's {@code walpb.Record}, by their numbers on disk. */
public enum RecordKind {
    /** Opaque bytes the WAL was created with, at the head of every segment. */
    METADATA(RecordType.METADATA),
    /** A raft entry. */
    ENTRY(RecordType.ENTRY),
    /** A raft hard state: term, vote, commit. */
    STATE(RecordType.STATE),
    /** The checksum carried over from the previous segment, at the head of each segment. */
    CRC(RecordType.CRC),
    /** A snapshot marker: index, term, and the configuration at that point. */
    SNAPSHOT(RecordType.SNAPSHOT);

    private final int type;

    RecordKind(int type) {
        this.type = type;
    }

    /** The record type number written on disk. */
    public int type() {
        return type;
    }

    /** The kind of a type number read from disk; empty for a number etcd does not know. */
    public static Optional<RecordKind> of(long type) {
        for (RecordKind kind : values()) {
            if (kind.type == type) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}

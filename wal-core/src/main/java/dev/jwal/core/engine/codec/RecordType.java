package dev.jwal.core.engine.codec;

/** The five record types of etcd's WAL ({@code wal.go}). */
public final class RecordType {

    public static final int METADATA = 1;
    public static final int ENTRY = 2;
    public static final int STATE = 3;
    public static final int CRC = 4;
    public static final int SNAPSHOT = 5;

    private RecordType() {
    }
}

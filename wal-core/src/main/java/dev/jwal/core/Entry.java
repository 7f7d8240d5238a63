package dev.jwal.core;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One raft log entry ({@code raftpb.Entry}). {@code data} may be {@code null}, which etcd keeps
 * apart from an empty array: a {@code null} is not written at all, an empty array is written as an
 * empty field, and both read back as they were saved.
 *
 * <p>The array is not copied: callers must not change it after handing it to {@link Wal#save}.
 *
 * @param term the raft term (unsigned)
 * @param index the raft index (unsigned)
 * @param type the entry type
 * @param data the payload, or {@code null}
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

    public Entry {
        Objects.requireNonNull(type, "type");
    }

    /** A {@link EntryType#NORMAL} entry. */
    public static Entry normal(long term, long index, byte[] data) {
        return new Entry(term, index, EntryType.NORMAL, data);
    }

    /** The payload length; 0 for a {@code null} payload. */
    public int dataLength() {
        return data == null ? 0 : data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Entry that
                && term == that.term
                && index == that.index
                && type == that.type
                && (data == null ? that.data == null : that.data != null && Arrays.equals(data, that.data));
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, index, type) * 31 + (data == null ? -1 : Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        String payload = data == null ? "nil"
                : data.length <= 16 ? HexFormat.of().formatHex(data) : data.length + " bytes";
        return "Entry[term=" + Long.toUnsignedString(term) + ", index=" + Long.toUnsignedString(index) + ", type="
                + type + ", data=" + payload + "]";
    }
}

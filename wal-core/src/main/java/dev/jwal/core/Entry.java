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
 * @param type the entry type; {@link EntryType#UNKNOWN} for a number jwal has no name for
 * @param data the payload, or {@code null}
 * @param typeNumber the type's wire number ({@code raftpb.EntryType}, an int32), as read or to be
 *     written: {@code type.number()} for a named type
 */
public record Entry(long term, long index, EntryType type, byte[] data, int typeNumber) {

    /**
     * @throws IllegalArgumentException when {@code typeNumber} is not {@code type}'s, or when the
     *     type is {@link EntryType#UNKNOWN} and the number has a name
     */
    public Entry {
        Objects.requireNonNull(type, "type");
        if (EntryType.forNumber(typeNumber) != type) {
            throw new IllegalArgumentException("entry type number " + typeNumber + " is "
                    + EntryType.forNumber(typeNumber) + ", not " + type);
        }
    }

    /**
     * An entry of a named type.
     *
     * @throws IllegalArgumentException for {@link EntryType#UNKNOWN}, which needs its number
     *     ({@link #ofTypeNumber})
     */
    public Entry(long term, long index, EntryType type, byte[] data) {
        this(term, index, type, data, namedNumber(type));
    }

    private static int namedNumber(EntryType type) {
        if (Objects.requireNonNull(type, "type") == EntryType.UNKNOWN) {
            throw new IllegalArgumentException("an entry of an unknown type needs its number: use Entry.ofTypeNumber");
        }
        return type.number();
    }

    /** An entry of any type number, named or not: how an entry of a type from a newer raft is kept. */
    public static Entry ofTypeNumber(long term, long index, int typeNumber, byte[] data) {
        return new Entry(term, index, EntryType.forNumber(typeNumber), data, typeNumber);
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
                && typeNumber == that.typeNumber
                && (data == null ? that.data == null : that.data != null && Arrays.equals(data, that.data));
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, index, typeNumber) * 31 + (data == null ? -1 : Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        String payload = data == null ? "nil"
                : data.length <= 16 ? HexFormat.of().formatHex(data) : data.length + " bytes";
        return "Entry[term=" + Long.toUnsignedString(term) + ", index=" + Long.toUnsignedString(index) + ", type="
                + (type == EntryType.UNKNOWN ? "UNKNOWN(" + typeNumber + ")" : type) + ", data=" + payload + "]";
    }
}

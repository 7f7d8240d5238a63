package dev.jwal.core;

/**
 * The kind of a raft log entry ({@code raftpb.EntryType}), with its wire number. etcd reads an
 * entry of any type number (raft has added types before: {@code EntryConfChangeV2}); so does jwal:
 * an entry whose number is none of these is {@link #UNKNOWN}, and {@link Entry#typeNumber()} keeps
 * the number, so that it is written back as it was read and the application decides what it means.
 */
public enum EntryType {
    NORMAL(0),
    CONF_CHANGE(1),
    CONF_CHANGE_V2(2),
    /** A type number this version of jwal has no name for; {@link Entry#typeNumber()} holds it. */
    UNKNOWN(-1);

    /** {@code values()} copies its array at every call, and every decoded entry looks its type up. */
    private static final EntryType[] NAMED = {NORMAL, CONF_CHANGE, CONF_CHANGE_V2};

    private final int number;

    EntryType(int number) {
        this.number = number;
    }

    /** The value written on the wire; for {@link #UNKNOWN}, see {@link Entry#typeNumber()} instead. */
    public int number() {
        return number;
    }

    /** The named type with this wire number, or {@link #UNKNOWN}. */
    public static EntryType forNumber(long number) {
        for (EntryType type : NAMED) {
            if (type.number == number) {
                return type;
            }
        }
        return UNKNOWN;
    }
}

package dev.jwal.core;

/** The kind of a raft log entry ({@code raftpb.EntryType}), with its wire number. */
public enum EntryType {
    NORMAL(0),
    CONF_CHANGE(1),
    CONF_CHANGE_V2(2);

    private final int number;

    EntryType(int number) {
        this.number = number;
    }

    /** The value written on the wire. */
    public int number() {
        return number;
    }

    /** The type with this wire number, or {@code null} when there is none. */
    public static EntryType forNumber(long number) {
        for (EntryType type : values()) {
            if (type.number == number) {
                return type;
            }
        }
        return null;
    }
}

package dev.jwal.core;

/**
 * Raft's durable vote state ({@code raftpb.HardState}): the current term, the vote cast in it and
 * the commit index. All three are unsigned 64-bit values held in {@code long}s.
 */
public record HardState(long term, long vote, long commit) {

    /** The empty state: {@link Wal#save} writes no state record for it. */
    public static final HardState EMPTY = new HardState(0, 0, 0);

    /** True for {@link #EMPTY}, as raft's {@code IsEmptyHardState}. */
    public boolean isEmpty() {
        return term == 0 && vote == 0 && commit == 0;
    }
}

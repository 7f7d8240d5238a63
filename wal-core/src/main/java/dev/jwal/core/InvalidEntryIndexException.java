package dev.jwal.core;

/**
 * A save was refused before anything was written because its entries could not be read back in
 * order: their indexes do not rise by one, the first leaves a gap after the last index, or it is
 * at or below the snapshot the WAL was opened at. etcd accepts such saves and fails later, on
 * read; jwal refuses them up front. Overwriting from an index at or below the last index (raft's
 * suffix replacement) is allowed.
 */
public class InvalidEntryIndexException extends WalException {

    private final long index;

    public InvalidEntryIndexException(long index, String rule) {
        super("wal: entry " + Long.toUnsignedString(index) + " refused: " + rule + "; nothing of the save was written");
        this.index = index;
    }

    /** The index of the entry that broke the rule. */
    public long index() {
        return index;
    }
}

package dev.jwal.core;

import java.util.Optional;

/**
 * What a {@link Wal#replay} found besides the entries it handed over.
 *
 * @param metadata the metadata the segments hold, or {@code null} when none was written
 * @param hardState the last hard state read
 * @param lastIndex the index of the last entry record read, at or below the snapshot too
 * @param entries how many entries were handed over, overwritten ones included
 * @param tornTail for a WAL opened read-only: the torn write the log ends in, if it does
 */
public record WalReplay(byte[] metadata, HardState hardState, long lastIndex, long entries,
        Optional<UnexpectedEofException> tornTail) {
}

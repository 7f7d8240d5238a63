package dev.jwal.core.engine;

import dev.jwal.core.Entry;
import dev.jwal.core.InvalidEntryIndexException;
import dev.jwal.core.engine.segment.FrameEncoder;
import java.util.List;

/** What a save must be for the WAL to accept it: checked before anything is queued or written. */
final class SaveRules {

    private SaveRules() {
    }

    /** About the bytes a save of {@code entries} writes: what it weighs in the writer's queue and batches. */
    static long bytesOf(List<Entry> entries) {
        long bytes = 64;
        for (Entry entry : entries) {
            bytes += entry.dataLength() + 32;
        }
        return bytes;
    }

    /**
     * The rules that make a save readable back: sizes, and indexes that rise by one from at most
     * {@code lastIndex + 1} and stay above {@code floor}, the snapshot the WAL was opened at.
     */
    static void checkEntries(List<Entry> entries, int maxRecordSize, long floor, long lastIndex) {
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            FrameEncoder.checkEntryFits(entry, maxRecordSize);
            if (i > 0 && entry.index() != entries.get(i - 1).index() + 1) {
                throw new InvalidEntryIndexException(entry.index(), "indexes in one save must rise by one, and it"
                        + " follows " + Long.toUnsignedString(entries.get(i - 1).index()));
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        long first = entries.get(0).index();
        if (Long.compareUnsigned(first, floor) <= 0) {
            throw new InvalidEntryIndexException(first, "it is at or below the snapshot the WAL was opened at ("
                    + Long.toUnsignedString(floor) + ")");
        }
        if (Long.compareUnsigned(first, lastIndex + 1) > 0) {
            throw new InvalidEntryIndexException(first, "it leaves a gap after the last index, "
                    + Long.toUnsignedString(lastIndex) + " (the next entry is "
                    + Long.toUnsignedString(lastIndex + 1) + ", or an earlier index to overwrite)");
        }
    }
}

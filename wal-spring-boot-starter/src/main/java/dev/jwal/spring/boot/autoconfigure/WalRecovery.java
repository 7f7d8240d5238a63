package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.RepairResult;
import dev.jwal.core.WalSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What startup found in the WAL, entries and all, as {@link WalRecoveryHandler#collecting} hands
 * it over: for logs small enough to hold in the heap at once.
 *
 * @param directory the WAL's directory
 * @param created true when the directory held no WAL and a new one was created
 * @param snapshot the snapshot the WAL was opened at; apply your snapshot of that index first
 * @param metadata the metadata the WAL holds (may be {@code null} or empty)
 * @param hardState the last hard state saved
 * @param entries the entries after the snapshot, in order, overwritten suffixes already dropped
 * @param repair what was cut off a torn tail before opening, when anything was
 */
public record WalRecovery(Path directory, boolean created, WalSnapshot snapshot, byte[] metadata,
        HardState hardState, List<Entry> entries, Optional<RepairResult> repair) {

    /** The index of the last entry recovered, or the snapshot's index when no entry follows it. */
    public long lastIndex() {
        return entries.isEmpty() ? snapshot.index() : entries.get(entries.size() - 1).index();
    }
}

package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.HardState;
import dev.jwal.core.RepairResult;
import java.util.Optional;

/**
 * How recovery ended: handed to {@link WalRecoveryHandler#end} after the last entry. The hard state
 * is the last one saved, which is known only once the whole log is read (etcd's {@code ReadAll}
 * returns it with the entries, too).
 *
 * @param metadata the metadata the WAL holds (may be empty)
 * @param hardState the last hard state saved
 * @param lastIndex the index of the last entry, or the snapshot's index when none follows it
 * @param entries how many entries were handed over, overwritten ones included
 * @param repair what was cut off a torn tail, when anything was: found at the end of the intact
 *     entries, after they were handed over, and cut before the WAL appends
 */
public record WalRecoveryEnd(byte[] metadata, HardState hardState, long lastIndex, long entries,
        Optional<RepairResult> repair) {
}

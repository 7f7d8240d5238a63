package dev.jwal.core;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the WAL looks like now, as its log writer last published it: an immutable snapshot that
 * health checks, gauges and endpoints read without taking a lock or waiting for an fdatasync.
 *
 * @param lastIndex the index of the last entry accepted (saved or queued), raised by snapshots
 * @param writtenIndex the index of the last entry the writer has written to the file
 * @param durableIndex the index of the last entry covered by an fdatasync
 * @param segments the segments the WAL holds open, oldest first
 * @param lastSync when the last fdatasync ended, if any
 * @param poisonCause the first write or sync failure, if the WAL is poisoned
 * @param closed whether the WAL is closed
 * @param bytesWritten bytes written to segment files since the WAL was opened
 * @param saves saves written since the WAL was opened
 * @param syncs fdatasyncs of segment files since the WAL was opened
 */
public record WalStatus(long lastIndex, long writtenIndex, long durableIndex, List<Path> segments,
        Optional<Instant> lastSync, Optional<WalException> poisonCause, boolean closed, long bytesWritten,
        long saves, long syncs) {

    public WalStatus {
        segments = List.copyOf(segments);
    }

    /** Whether appends are refused: poisoned or closed. */
    public boolean refusesAppends() {
        return closed || poisonCause.isPresent();
    }
}

package dev.jwal.core.engine;

import dev.jwal.core.WalSnapshot;

/**
 * A snapshot marker, synced under every policy: a compaction deletes state on the strength of it.
 */
final class SnapshotRequest extends LogRequest {

    final WalSnapshot snapshot;

    SnapshotRequest(WalSnapshot snapshot) {
        super("snapshot marker", "writing a snapshot marker to", false);
        this.snapshot = snapshot;
    }
}

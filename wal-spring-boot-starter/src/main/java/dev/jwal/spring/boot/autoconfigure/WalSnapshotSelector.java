package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.WalSnapshot;
import java.util.List;

/**
 * Chooses the snapshot an existing WAL is opened at. Define one as a bean when the application
 * keeps snapshots of its state: return the newest snapshot you can load. Without one, the WAL opens
 * at the newest valid snapshot marker it holds.
 */
@FunctionalInterface
public interface WalSnapshotSelector {

    /**
     * Picks the snapshot to open at.
     *
     * @param validSnapshots the WAL's snapshot markers at or below its last commit index, oldest
     *     first (etcd's {@code ValidSnapshotEntries}); never empty for a WAL jwal or etcd created,
     *     which starts with the zero snapshot
     * @return one of them, or {@link WalSnapshot#ZERO} to replay from the start
     */
    WalSnapshot select(List<WalSnapshot> validSnapshots);

    /** The default: the newest valid snapshot, or the zero snapshot when there is none. */
    static WalSnapshotSelector newest() {
        return valid -> valid.isEmpty() ? WalSnapshot.ZERO : valid.get(valid.size() - 1);
    }
}

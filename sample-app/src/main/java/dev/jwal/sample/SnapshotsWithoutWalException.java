package dev.jwal.sample;

import java.nio.file.Path;

/**
 * The WAL directory holds no WAL but snapshots of earlier data exist: starting empty would drop
 * what they hold, and appending from index 1 would contradict them.
 */
public class SnapshotsWithoutWalException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Path walDirectory;
    private final transient Path snapshotDirectory;
    private final int snapshots;

    public SnapshotsWithoutWalException(Path walDirectory, Path snapshotDirectory, int snapshots) {
        super("The WAL directory " + walDirectory + " holds no WAL, but " + snapshotDirectory + " holds " + snapshots
                + " snapshot(s) of earlier data: restore the WAL, or move the snapshots away to start empty");
        this.walDirectory = walDirectory;
        this.snapshotDirectory = snapshotDirectory;
        this.snapshots = snapshots;
    }

    public Path walDirectory() {
        return walDirectory;
    }

    public Path snapshotDirectory() {
        return snapshotDirectory;
    }

    public int snapshots() {
        return snapshots;
    }
}

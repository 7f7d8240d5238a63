package dev.jwal.core;

import dev.jwal.core.engine.WalExaminer;
import dev.jwal.core.engine.WalRepairer;
import dev.jwal.core.engine.WalVerifier;
import dev.jwal.core.engine.segment.SegmentDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What can be done to a WAL directory without opening it for appending: ask whether it holds a
 * WAL, judge it, list the snapshots a node may restart at, and repair a torn tail. Each reads the
 * segments itself and holds nothing open afterwards.
 *
 * <p>Two checks, and their names say how they answer: {@link #examine} never throws for what it
 * finds and returns a {@link WalVerdict} (clean, torn, corrupt, snapshot not found, unreadable),
 * the one startup, the endpoint and the {@code jwal} command show; {@link #verifyOrThrow} is etcd's
 * {@code Verify}: it returns the last hard state or throws the typed exception for the first
 * problem. {@link WalOptions#examineReadRate()} paces both, so a check beside a live writer does
 * not take the disk from it.
 */
public final class WalDirectory {

    /**
     * The subdirectory of a WAL directory where jwal keeps an index file for each sealed segment: a
     * cache, checksummed and rebuilt from the segment when missing, damaged or stale, so deleting it
     * is always safe. etcd's reader skips it, as every name that is not {@code *.wal}.
     */
    public static final String INDEX_DIRECTORY = "jwal-index";

    private WalDirectory() {
    }

    /** Whether {@code directory} holds a WAL: at least one segment file (etcd's {@code Exist}). */
    public static boolean exists(Path directory) {
        return exists(directory, WalOptions.defaults());
    }

    /** {@link #exists(Path)} on the disk of {@code options}. */
    public static boolean exists(Path directory, WalOptions options) {
        return SegmentDirectory.exists(options.disk(), directory.toAbsolutePath().normalize());
    }

    /** {@link #examine(Path, WalSnapshot, WalOptions)} with the default options. */
    public static WalVerdict examine(Path directory, WalSnapshot snapshot) {
        return examine(directory, snapshot, WalOptions.defaults());
    }

    /**
     * Reads the WAL from the segment holding {@code snapshot} to the end, as a restarting node
     * would, without locking or changing anything, and says what it is: clean, a torn tail that
     * repair may cut, corruption that it may not, snapshot not found, or unreadable. The same
     * verdict as startup, {@link #verifyOrThrow}, {@link #repair}, the endpoint and the {@code jwal}
     * command give. Never throws for what it finds: every problem is in the verdict.
     */
    public static WalVerdict examine(Path directory, WalSnapshot snapshot, WalOptions options) {
        Objects.requireNonNull(snapshot, "snapshot");
        return WalExaminer.examine(directory, snapshot, options);
    }

    /**
     * As {@link #examine(Path, WalSnapshot, WalOptions)}, over every segment from the oldest and
     * whatever snapshot a node would open at: what {@link #repair} judges by.
     */
    public static WalVerdict examine(Path directory, WalOptions options) {
        return WalExaminer.examineAll(directory, options).verdict();
    }

    /** {@link #verifyOrThrow(Path, WalSnapshot, WalOptions)} with the default options. */
    public static HardState verifyOrThrow(Path directory, WalSnapshot snapshot) {
        return verifyOrThrow(directory, snapshot, WalOptions.defaults());
    }

    /**
     * Reads the WAL from the segment holding {@code snapshot} to the end without locking or
     * changing anything, checking every frame, checksum and segment link, the metadata and the
     * snapshot, as etcd's {@code Verify}, and returns the last hard state. A torn tail is
     * accepted, as there; everything {@link #examine} calls corrupt is thrown, including damage
     * that etcd would read as a torn tail but that has readable records after it
     * ({@link ReadableAfterDamageException}) or sits in a segment that is not the last.
     */
    public static HardState verifyOrThrow(Path directory, WalSnapshot snapshot, WalOptions options) {
        return WalVerifier.verify(directory, snapshot, options);
    }

    /** {@link #validSnapshotEntries(Path, WalOptions)} with the default options. */
    public static List<WalSnapshot> validSnapshotEntries(Path directory) {
        return validSnapshotEntries(directory, WalOptions.defaults());
    }

    /**
     * The snapshot markers a restarting node may open at, oldest first: those at or below the
     * commit index of the last hard state, as etcd's {@code ValidSnapshotEntries}. Reads every
     * segment without locking; a torn tail ends the log.
     */
    public static List<WalSnapshot> validSnapshotEntries(Path directory, WalOptions options) {
        return WalVerifier.validSnapshotEntries(directory, options);
    }

    /** {@link #repair(Path, WalOptions)} with the default options. */
    public static RepairResult repair(Path directory) {
        return repair(directory, WalOptions.defaults());
    }

    /**
     * Repairs a torn tail, as etcd's {@code Repair}, but only what {@link #examine} calls one:
     * with the last segment locked, every segment is read; if the last ends in a torn record with
     * nothing readable after it, the whole file is first copied to {@code <name>.broken}, then
     * cut at the torn record and synced. A log that ends cleanly is left alone. Corruption,
     * anywhere, is thrown as found and nothing is changed: in particular damage with readable
     * records after it, which etcd's {@code Repair} would cut ({@link ReadableAfterDamageException}).
     *
     * @throws WalException what makes the directory corrupt rather than torn: a
     *     {@link WalCorruptionException}, {@link ReadableAfterDamageException},
     *     {@link SegmentTruncatedException} or {@link FileSequenceGapException}
     * @throws WalLockedException when a writer holds the last segment
     */
    public static RepairResult repair(Path directory, WalOptions options) {
        return WalRepairer.repair(directory, options, false);
    }

    /**
     * As {@link #repair}, but damage to a record of the last segment past its header is cut off
     * too, with every readable record after it: the operator's way out when no replica or backup
     * holds those records ({@code jwal repair --discard-readable}). What was thrown away is in
     * {@link RepairResult#discarded()}; the whole file is kept as {@code <name>.broken}. Damage
     * anywhere else is still refused.
     */
    public static RepairResult repairDiscardingReadable(Path directory, WalOptions options) {
        return WalRepairer.repair(directory, options, true);
    }
}

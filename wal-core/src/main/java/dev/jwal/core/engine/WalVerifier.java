package dev.jwal.core.engine;

import dev.jwal.core.HardState;
import dev.jwal.core.NoWalFilesException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalVerdict;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** etcd's read-only whole-directory passes: {@code Verify} and {@code ValidSnapshotEntries}. */
public final class WalVerifier {

    private WalVerifier() {
    }

    /**
     * etcd's Verify, judged by {@link WalVerdict}: a clean log or a torn tail gives the last hard
     * state; anything else throws what decided it.
     */
    public static HardState verify(Path directory, WalSnapshot snapshot, WalOptions options) {
        WalVerdict verdict = WalExaminer.examine(directory, snapshot, options);
        if (verdict.kind() == WalVerdict.Kind.CLEAN || verdict.kind() == WalVerdict.Kind.TORN_TAIL) {
            return verdict.hardState();
        }
        throw verdict.problem();
    }

    /** etcd's ValidSnapshotEntries: every segment read. */
    public static List<WalSnapshot> validSnapshotEntries(Path directory, WalOptions options) {
        return validSnapshotEntries(directory, options, false);
    }

    /**
     * ValidSnapshotEntries, taking the markers and the hard state of the segments the checkpoint
     * vouches for from it when {@code fromCheckpoint}: for a startup whose handler needs none of
     * their entries, which skips them too. Damage in them is then the scrub's to find.
     */
    public static List<WalSnapshot> validSnapshotEntries(Path directory, WalOptions options, boolean fromCheckpoint) {
        Path dir = directory.toAbsolutePath().normalize();
        List<SegmentName> names = SegmentDirectory.list(options.disk(), dir);
        if (names.isEmpty()) {
            throw new NoWalFilesException(dir, "no .wal files in the directory");
        }
        ProtoReader reader = new ProtoReader();
        List<WalSnapshot> snapshots = new ArrayList<>();
        HardState[] state = {HardState.EMPTY};
        // The segments a checkpoint vouches for give their markers and last hard state unread.
        CheckpointFile.Cover cover = !fromCheckpoint ? null
                : CheckpointFile.cover(CheckpointFile.load(options.disk(), dir), names, options.disk(), dir,
                        options.readLimit());
        int seedCrc = 0;
        if (cover != null) {
            for (Checkpoint.Segment segment : cover.checkpoint().segments()) {
                snapshots.addAll(segment.markers());
            }
            state[0] = cover.checkpoint().last().stateAfter();
            seedCrc = cover.checkpoint().last().finalCrc();
            names = names.subList(cover.count(), names.size());
        }
        SegmentFiles.scanReadOnly(dir, names, options, seedCrc, (record, decoder) -> {
            if (record.type() == RecordType.SNAPSHOT) {
                snapshots.add(RaftCodec.decodeSnapshot(record.readData(reader)));
            } else if (record.type() == RecordType.STATE) {
                state[0] = RaftCodec.decodeHardState(record.readData(reader));
            }
        });
        long commit = state[0].commit();
        return snapshots.stream().filter(s -> Long.compareUnsigned(s.index(), commit) <= 0).toList();
    }
}

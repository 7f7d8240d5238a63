package dev.jwal.core.engine;

import dev.jwal.core.SnapshotNotFoundException;
import dev.jwal.core.WalException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalVerdict;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a whole directory the way a replay does, without locking or changing it, and says what
 * it is ({@link WalVerdict}): the one classification behind verify, repair and the tools.
 */
public final class WalExaminer {

    /** What one pass read: the verdict, and where the decoder stopped, for repair. */
    public record Examination(WalVerdict verdict, Path lastSegment, boolean damageInHeader) {
    }

    private WalExaminer() {
    }

    /** Passes a verdict about the last segment may take to settle beside a live writer. */
    private static final int MAX_PASSES = 5;

    /**
     * Every segment, with the snapshot's checks from the one holding {@code snapshot} to the end:
     * the verdict a restarting node reaches, which reads every segment to find its snapshot.
     */
    public static WalVerdict examine(Path directory, WalSnapshot snapshot, WalOptions options) {
        return settled(directory, snapshot, options).verdict();
    }

    /** Every segment, from the oldest, with no snapshot to find: what repair judges by. */
    public static Examination examineAll(Path directory, WalOptions options) {
        return settled(directory, null, options);
    }

    /**
     * A verdict that holds still. Read beside a process that appends, the last segment can show a
     * write in flight: a page of it not yet copied in while a later one is, which reads as a
     * zeroed length field with a record after it. Damage in the last segment is therefore read
     * again until two passes agree on what and where it is; real damage agrees at once, and a
     * WAL no one writes (startup, repair under the lock) costs one more pass only when damaged.
     */
    private static Examination settled(Path directory, WalSnapshot snapshot, WalOptions options) {
        Examination previous = run(directory, snapshot, options);
        for (int pass = 1; pass < MAX_PASSES && inLastSegment(previous); pass++) {
            Examination next = run(directory, snapshot, options);
            if (sameDamage(previous, next)) {
                return next;
            }
            previous = next;
        }
        return previous;
    }

    private static boolean inLastSegment(Examination examination) {
        WalException problem = examination.verdict().problem();
        return problem != null && examination.lastSegment() != null
                && problem.file().filter(examination.lastSegment()::equals).isPresent();
    }

    private static boolean sameDamage(Examination a, Examination b) {
        WalException x = a.verdict().problem();
        WalException y = b.verdict().problem();
        return a.verdict().kind() == b.verdict().kind() && y != null && x.getClass() == y.getClass()
                && x.file().equals(y.file()) && x.offset() == y.offset();
    }

    private static Examination run(Path directory, WalSnapshot snapshot, WalOptions options) {
        Path dir = directory.toAbsolutePath().normalize();
        List<SegmentName> names;
        List<OpenSegment> opened;
        try {
            if (snapshot != null) {
                // a segment must hold the snapshot's index, as for an open at it
                SegmentDirectory.selectFrom(options.disk(), dir, snapshot.index());
            }
            // Every segment from the oldest, even with a snapshot: a restarting node reads them all
            // to find the snapshots it may open at, so damage in a released segment is its verdict
            // too. Entries at or below the snapshot are only checked, not taken.
            names = SegmentDirectory.listInSequence(options.disk(), dir);
            opened = SegmentFiles.open(PacedDisk.forExamining(options), dir, names, false);
        } catch (WalException e) {
            return new Examination(WalVerdict.of(e), null, false);
        }
        Path last = opened.get(opened.size() - 1).file().path();
        try {
            FrameDecoder decoder = SegmentFiles.decoderOver(opened, options);
            LogReplay replay = snapshot == null ? LogReplay.fromOldest(names)
                    : new LogReplay(snapshot, LogReplay.IGNORE, null, names);
            WalException problem = null;
            try {
                replay.run(decoder);
            } catch (WalException e) {
                problem = e;
            }
            if (snapshot != null && !replay.snapshotFound
                    && (problem == null || WalVerdict.kindOf(problem) == WalVerdict.Kind.TORN_TAIL)) {
                // etcd's Verify: a log without the snapshot's marker is not one to start from.
                problem = new SnapshotNotFoundException(snapshot, null);
            }
            WalVerdict verdict = new WalVerdict(WalVerdict.kindOf(problem), problem, replay.state, replay.records,
                    replay.delivered);
            return new Examination(verdict, last, problem != null && decoder.inHeader());
        } finally {
            SegmentFiles.closeAll(opened);
        }
    }
}

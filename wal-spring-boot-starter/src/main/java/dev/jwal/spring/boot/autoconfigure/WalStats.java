package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.RepairResult;
import dev.jwal.core.WalException;
import dev.jwal.core.WalListener;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the WAL reports, for the meters and the health indicator. It exists before the WAL
 * does (it is the WAL's listener) and before any meter registry is bound, so it keeps its own
 * counts, and forwards timings to a {@link LatencyRecorder} once one is attached.
 */
public final class WalStats implements WalListener {

    /** Receives each sync and write duration; the metrics binder attaches one. */
    public interface LatencyRecorder {
        void synced(long nanos);

        void written(long nanos);

        void groupCommitted(int saves, int queued);
    }

    private static final LatencyRecorder NONE = new LatencyRecorder() {
        @Override
        public void synced(long nanos) {
        }

        @Override
        public void written(long nanos) {
        }

        @Override
        public void groupCommitted(int saves, int queued) {
        }
    };

    private final LongAdder syncs = new LongAdder();
    private final LongAdder slowSyncs = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder saves = new LongAdder();
    private final LongAdder entries = new LongAdder();
    private final LongAdder cuts = new LongAdder();
    private final LongAdder groupCommits = new LongAdder();
    private final LongAdder repairs = new LongAdder();
    private volatile RepairResult lastRepair;
    private volatile long lastSyncNanos = -1;
    private volatile LatencyRecorder recorder = NONE;

    public void attach(LatencyRecorder recorder) {
        this.recorder = recorder;
    }

    /** Startup cut a torn tail off the WAL: counted, and kept for the health indicator to show. */
    void repaired(RepairResult repair) {
        if (repair.truncated()) {
            repairs.increment();
            lastRepair = repair;
        }
    }

    /** Torn tails that startup cut off, since this process started. */
    public long repairs() {
        return repairs.sum();
    }

    /** What startup last cut off the WAL, when it cut anything. */
    public Optional<RepairResult> lastRepair() {
        return Optional.ofNullable(lastRepair);
    }

    @Override
    public void synced(long nanos) {
        syncs.increment();
        lastSyncNanos = nanos;
        recorder.synced(nanos);
    }

    @Override
    public void slowSync(long nanos) {
        slowSyncs.increment();
    }

    @Override
    public void written(long bytes, long nanos) {
        writes.increment();
        bytesWritten.add(bytes);
        recorder.written(nanos);
    }

    @Override
    public void saved(int entryCount) {
        saves.increment();
        entries.add(entryCount);
    }

    @Override
    public void groupCommitted(int saveCount, int queued) {
        groupCommits.increment();
        recorder.groupCommitted(saveCount, queued);
    }

    @Override
    public void segmentCut(Path segment) {
        cuts.increment();
    }

    @Override
    public void failed(WalException error) {
        // the WAL keeps the cause; health and meters read it from there
    }

    /** fdatasyncs (of segments and of the directory) so far. */
    public long syncs() {
        return syncs.sum();
    }

    /** Syncs slower than the threshold so far. */
    public long slowSyncs() {
        return slowSyncs.sum();
    }

    /** Bytes written to segments so far. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** Saves completed so far. */
    public long saves() {
        return saves.sum();
    }

    /** Entries appended so far. */
    public long entries() {
        return entries.sum();
    }

    /** Segments cut so far. */
    public long cuts() {
        return cuts.sum();
    }

    /** Group commits (fdatasyncs shared by the saves queued for them) so far. */
    public long groupCommits() {
        return groupCommits.sum();
    }

    /** How long the last sync took, or -1 before the first. */
    public long lastSyncNanos() {
        return lastSyncNanos;
    }
}

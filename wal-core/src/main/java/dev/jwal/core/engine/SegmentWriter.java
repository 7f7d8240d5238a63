package dev.jwal.core.engine;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.WalException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalStatus;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RollingCrc;
import dev.jwal.core.engine.segment.FilePipeline;
import dev.jwal.core.engine.segment.FrameEncoder;
import dev.jwal.core.engine.segment.PageWriter;
import dev.jwal.core.engine.segment.Preallocation;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The files of a writable WAL, as whoever holds the {@link LogWriter}'s pen uses them: the locked
 * segments, the page writer and encoder on the tail, the spare pipeline, and what cuts need to
 * start a segment (metadata, last hard state, last index). Knows how to write a save, cut, sync,
 * release and purge; knows nothing of queues or callers.
 *
 * <p>Cuts fall exactly where etcd's {@code Save} would cut under {@link dev.jwal.core.SyncPolicy#ALWAYS},
 * whatever was batched: etcd cuts when the file offset after a save's records, before its own
 * flush, has reached the segment size, and that offset is what ALWAYS had flushed by then. This
 * class keeps that mark ({@link #flushMark}) instead of flushing after every save, so the files
 * are byte for byte etcd's under every policy and batch size.
 */
final class SegmentWriter {

    private static final System.Logger LOG = System.getLogger(SegmentWriter.class.getName());

    private final Path directory;
    private final WalOptions options;
    private final Disk disk;
    private final SafeListener listener;
    private final List<OpenSegment> segments = new ArrayList<>();
    private final PageWriter pageWriter;
    private FrameEncoder encoder;
    private FilePipeline pipeline;
    /** Under NONE and INTERVAL with large segments; null otherwise. */
    private TailWriteback writeback;
    /** The tail's flushed offset when its last writeback started. */
    private long writtenBackOffset;
    /** The segments' paths as last published; null once the list changes (adopt, cut, release, close). */
    private List<Path> segmentPaths;
    private byte[] metadata;
    private HardState lastState = HardState.EMPTY;
    /** The snapshot markers in the tail: those a replay found in it, then those written since. */
    private final List<WalSnapshot> markersInTail = new ArrayList<>();
    /** Whether this writer knows all the tail holds: then a cut summarises it for the checkpoint. */
    private boolean tailStartedHere;
    private long lastIndex;
    /** The offset ALWAYS would have flushed to by now: what decides cuts (see the class comment). */
    private long flushMark;
    private EntryIndex index;
    /** Where each entry of the save being written went, handed to the index in one call. */
    private long[] offsets = new long[128];
    private int[] lengths = new int[128];
    private int[] seeds = new int[128];
    /** Read by the log writer deciding how long to wait, without the files' lock. */
    private volatile boolean unsynced;
    /**
     * The tail was cut to its records and synced, and the next segment is not open yet. Read by
     * the log writer deciding whether to wake, without the files' lock, so volatile.
     */
    private volatile boolean sealed;
    private volatile long lastSyncNanos = System.nanoTime();
    private Instant lastSync;
    private long saves;
    private long syncs;
    private long writtenIndex;
    private long durableIndex;
    /** Read by callers of reads by index, who must not read past what is in the file. */
    private volatile long flushedIndex;

    SegmentWriter(Path directory, WalOptions options, SafeListener listener) {
        this.directory = directory;
        this.options = options;
        this.disk = options.disk();
        this.listener = listener;
        this.pageWriter = new PageWriter(listener);
    }

    /** The published paths are stale (the directory was renamed): they are read again from the files. */
    void forgetPublishedPaths() {
        segmentPaths = null;
    }

    void adopt(List<OpenSegment> opened) {
        segments.addAll(opened);
        segmentPaths = null;
    }

    /**
     * Takes over the tail at {@code offset}; {@code markersInTail} are the snapshot markers already
     * in it, so that this writer knows all it holds and can summarise it for the checkpoint at the
     * cut (null when it cannot know all: the tail is then read for the checkpoint after the cut).
     */
    void startAppending(long offset, RollingCrc crc, byte[] metadata, HardState state, long lastIndex,
            EntryIndex index, List<WalSnapshot> markersInTail) {
        this.markersInTail.clear();
        if (markersInTail != null) {
            this.markersInTail.addAll(markersInTail);
        }
        this.tailStartedHere = markersInTail != null;
        pageWriter.reset(tail().file(), offset);
        this.encoder = new FrameEncoder(pageWriter, crc, options.maxRecordSize());
        this.metadata = metadata;
        this.lastState = state;
        this.lastIndex = lastIndex;
        this.writtenIndex = lastIndex;
        this.durableIndex = lastIndex;
        if (writeback == null && TailWriteback.wanted(options.syncPolicy(), options.segmentSize())) {
            writeback = new TailWriteback(options.segmentSize(), directory.toString());
        }
        writtenBackOffset = offset;
        this.flushedIndex = lastIndex;
        this.index = index;
    }

    /** Starts preparing spare segments in the WAL's directory, which must exist by now. */
    void startPipeline() {
        pipeline = new FilePipeline(disk, directory, options.segmentSize(), preallocation(options));
    }

    /**
     * How segments get their blocks (see {@link Preallocation} for the measurements): written
     * zeros where each save is fdatasynced, reserved blocks where nothing waits for an fdatasync.
     */
    static Preallocation preallocation(WalOptions options) {
        if (!options.preallocate()) {
            return Preallocation.SPARSE;
        }
        return switch (options.syncPolicy()) {
            case ALWAYS, GROUP -> Preallocation.ZERO_FILL;
            case INTERVAL, NONE -> Preallocation.RESERVE;
        };
    }

    FrameEncoder encoder() {
        return encoder;
    }

    /** Writes one save; returns whether it made the segment full and was followed by a cut. */
    boolean write(SaveRequest request) throws IOException {
        openNextIfSealed();
        OpenSegment tail = tail();
        List<Entry> entries = request.entries;
        growPositions(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            seeds[i] = encoder.crcValue();
            offsets[i] = pageWriter.logicalOffset();
            encoder.encodeEntry(entry);
            lengths[i] = (int) (pageWriter.logicalOffset() - offsets[i]);
        }
        if (!entries.isEmpty()) {
            index.addAll(entries, tail.name().sequence(), tail.file().path(), offsets, lengths, seeds);
            lastIndex = entries.get(entries.size() - 1).index();
        }
        if (!request.state.isEmpty()) {
            encoder.encodeState(request.state);
            lastState = request.state;
        }
        writtenIndex = lastIndex;
        unsynced = true;
        saves++;
        listener.saved(request.entries.size());
        boolean full = Math.max(pageWriter.flushedOffset(), flushMark) >= options.segmentSize();
        if (request.mustSync) {
            flushMark = pageWriter.logicalOffset();
        }
        if (full) {
            cut();
        } else {
            writeBackIfDue();
        }
        return full;
    }

    /** Starts a writeback of the tail when enough has been written since the last one. */
    private void writeBackIfDue() throws IOException {
        if (writeback == null) {
            return;
        }
        writeback.throwIfFailed();
        long flushed = pageWriter.flushedOffset();
        if (flushed - writtenBackOffset >= writeback.every() && writeback.start(tail().file())) {
            writtenBackOffset = flushed;
        }
    }

    /** Room for the positions of {@code count} entries of one save, reused from save to save. */
    private void growPositions(int count) {
        if (offsets.length < count) {
            int size = Math.max(count, offsets.length * 2);
            offsets = new long[size];
            lengths = new int[size];
            seeds = new int[size];
        }
    }

    void writeSnapshot(WalSnapshot snapshot) throws IOException {
        openNextIfSealed();
        encoder.encodeSnapshot(RaftCodec.encodeSnapshot(snapshot));
        markersInTail.add(snapshot);
        if (Long.compareUnsigned(lastIndex, snapshot.index()) < 0) {
            lastIndex = snapshot.index();
        }
        // SaveSnapshot flushes (and syncs) at once in etcd, which moves the offset cuts go by.
        flushMark = pageWriter.logicalOffset();
        unsynced = true;
    }

    /** Hands everything buffered to the tail file; readers by index can see it then. */
    void flush() throws IOException {
        pageWriter.flush();
        flushedIndex = lastIndex;
        writeBackIfDue();
    }

    /** Flushes and fdatasyncs the tail. */
    void flushAndSync() throws IOException {
        flush();
        syncTail();
    }

    /** fdatasyncs what was flushed to the tail. */
    void syncTail() throws IOException {
        syncFile(tail().file());
        unsynced = false;
        durableIndex = writtenIndex;
    }

    boolean unsynced() {
        return unsynced;
    }

    long lastSyncNanos() {
        return lastSyncNanos;
    }

    private void syncFile(DiskFile file) throws IOException {
        long begin = System.nanoTime();
        file.sync();
        long end = System.nanoTime();
        long took = end - begin;
        syncs++;
        lastSyncNanos = end;
        lastSync = Instant.now();
        listener.synced(took);
        if (took > options.slowSyncThreshold().toNanos()) {
            listener.slowSync(took);
            LOG.log(Level.WARNING, "slow fdatasync of {0}: took {1} ms, expected less than {2} ms", file.path(),
                    String.valueOf(TimeUnit.NANOSECONDS.toMillis(took)),
                    String.valueOf(options.slowSyncThreshold().toMillis()));
        }
    }

    /**
     * The first half of etcd's {@code cut}: the tail is cut to its records and synced, so that
     * everything written before is durable, and the save that filled it can be acknowledged at
     * once. The next segment is opened by {@link #openNextIfSealed}: by the log writer right
     * after, off the saving caller's path, or by the next write, whichever comes first. A crash
     * in between leaves what a crash inside etcd's {@code cut} leaves: a full tail, which the next
     * save after recovery cuts.
     */
    private void cut() throws IOException {
        OpenSegment tail = tail();
        pageWriter.flush();
        try {
            tail.file().truncate(pageWriter.flushedOffset());
        } catch (IOException e) {
            throw new WalIoException("cutting the full segment to its records:", tail.file().path(),
                    pageWriter.flushedOffset(), e);
        }
        try {
            syncFile(tail.file());
        } catch (IOException e) {
            throw new WalIoException("syncing the full segment", tail.file().path(), e);
        }
        unsynced = false;
        flushedIndex = lastIndex;
        durableIndex = writtenIndex;
        sealed = true;
        if (tailStartedHere && index != null) {
            // everything the sealed segment holds went through this writer: its summary is exact
            index.sealNow(tail.name().sequence(), new Checkpoint.Segment(tail.name().sequence(), tail.name().firstIndex(),
                    pageWriter.flushedOffset(), encoder.crcValue(), lastState, lastIndex, List.copyOf(markersInTail)),
                    metadata);
        }
    }

    /** Whether the tail is sealed by a cut and the next segment not yet opened. */
    boolean isSealed() {
        return sealed;
    }

    /**
     * The second half of etcd's {@code cut}, when the first has run: a spare from the pipeline
     * gets a crc record carrying the checksum on, the metadata and the last hard state, is synced,
     * and is renamed to {@code <seq+1>-<lastIndex+1>.wal}; the directory is synced so that the
     * rename survives a crash.
     */
    void openNextIfSealed() throws IOException {
        if (!sealed) {
            return;
        }
        // Cleared first: a failure here poisons the WAL, and nothing may write to the old tail.
        sealed = false;
        OpenSegment tail = tail();
        DiskFile spare;
        try {
            spare = pipeline.take();
        } catch (IOException e) {
            throw new WalIoException("preparing the next segment (a spare) in", directory, e);
        }
        SegmentName name = new SegmentName(tail.name().sequence() + 1, lastIndex + 1);
        Path path = directory.resolve(name.fileName());
        try {
            pageWriter.reset(spare, 0);
            encoder.encodeCrc();
            encoder.encodeMetadata(metadata);
            if (!lastState.isEmpty()) {
                encoder.encodeState(lastState);
            }
            pageWriter.flush();
            syncFile(spare);
        } catch (IOException e) {
            throw new WalIoException("starting the next segment " + name.fileName() + " in the spare", spare.path(), e);
        }
        try {
            disk.rename(spare.path(), path);
        } catch (IOException e) {
            throw new WalIoException("renaming the spare segment into place as", path, e);
        }
        segments.add(new OpenSegment(name, spare));
        segmentPaths = null;
        markersInTail.clear();
        tailStartedHere = true;
        long begin = System.nanoTime();
        try {
            disk.syncDirectory(directory);
        } catch (IOException e) {
            throw new WalIoException("syncing the directory after cutting " + name.fileName() + " into",
                    directory, e);
        }
        listener.synced(System.nanoTime() - begin);
        unsynced = false;
        flushMark = 0;
        writtenBackOffset = 0;
        listener.segmentCut(path);
        LOG.log(Level.DEBUG, "cut WAL segment {0}", path);
    }

    /**
     * Releases the locks of segments that hold only entries below {@code index}, as etcd's
     * {@code ReleaseLockTo}: the segment just before the first one whose first index is at or
     * above {@code index} is kept, because it may hold entries up to there.
     */
    void releaseLockTo(long index) {
        if (segments.isEmpty()) {
            return;
        }
        int keepFrom = segments.size() - 1;
        for (int i = 0; i < segments.size(); i++) {
            if (Long.compareUnsigned(segments.get(i).name().firstIndex(), index) >= 0) {
                keepFrom = i - 1;
                break;
            }
        }
        if (keepFrom <= 0) {
            return;
        }
        List<OpenSegment> released = segments.subList(0, keepFrom);
        if (writeback != null) {
            // the segment cut last may still be written back through the channel closed here
            writeback.awaitIdle();
        }
        for (OpenSegment segment : released) {
            try {
                segment.file().close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "failed to release segment " + segment.file().path(), e);
            }
        }
        released.clear();
        segmentPaths = null;
    }

    /**
     * Deletes the oldest segments until at most {@code keep} remain, stopping at the first one
     * this WAL still holds. The directory is synced after each deletion: unsynced deletions may
     * reach the disk in any order, and a crash that kept a newer segment's deletion but not an
     * older one's would leave a gap in the chain, which etcd's {@code ValidSnapshotEntries} reads
     * as a CRC mismatch. Synced one by one, the deletions that survive are always the oldest.
     */
    List<Path> purge(int keep) {
        List<SegmentName> all = SegmentDirectory.list(disk, directory);
        Set<Path> held = new HashSet<>();
        for (OpenSegment segment : segments) {
            held.add(segment.file().path());
        }
        List<Path> deleted = new ArrayList<>();
        try {
            for (int i = 0; i < all.size(); i++) {
                Path path = directory.resolve(all.get(i).fileName());
                if (all.size() - i <= keep || held.contains(path)) {
                    break;
                }
                try {
                    disk.delete(path);
                } catch (IOException e) {
                    throw new WalIoException("purging", path, e);
                }
                deleted.add(path);
                try {
                    disk.syncDirectory(directory);
                } catch (IOException e) {
                    throw new WalIoException("syncing the directory after deleting " + path.getFileName() + " from",
                            directory, e);
                }
            }
        } finally {
            if (!deleted.isEmpty()) {
                long oldestKept = deleted.size() < all.size() ? all.get(deleted.size()).sequence()
                        : all.get(all.size() - 1).sequence() + 1;
                index.dropSegmentsBefore(oldestKept, deleted);
            }
        }
        if (!deleted.isEmpty()) {
            LOG.log(Level.INFO, "purged {0} WAL segment(s) up to {1}", deleted.size(),
                    deleted.get(deleted.size() - 1).getFileName());
        }
        return List.copyOf(deleted);
    }

    /** Ends: the pipeline's spare is removed (or, abandoning, left) and every lock released. */
    void stop(boolean cleanly) {
        if (pipeline != null) {
            if (cleanly) {
                try {
                    pipeline.close();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "failed to remove the spare segment of " + directory, e);
                }
            } else {
                pipeline.abandon();
            }
        }
        closeSegmentsQuietly();
        if (index != null) {
            index.close();
        }
    }

    /** Closes the segments without syncing: a create or open that failed half way, or the end. */
    void closeSegmentsQuietly() {
        if (writeback != null) {
            writeback.stop();
            writeback = null;
        }
        for (OpenSegment segment : segments) {
            try {
                segment.file().close();
            } catch (IOException ignored) {
                // nothing more is appended through it
            }
        }
        segments.clear();
        segmentPaths = null;
    }

    /** The file an error while writing is about: the tail, or the directory before there is one. */
    Path currentFile() {
        return segments.isEmpty() ? directory : tail().file().path();
    }

    /** What the writer publishes; {@code poison} and {@code closed} are its own. */
    WalStatus status(WalException poison, boolean closed) {
        if (segmentPaths == null) {
            List<Path> paths = new ArrayList<>(segments.size());
            for (OpenSegment segment : segments) {
                paths.add(segment.file().path());
            }
            segmentPaths = List.copyOf(paths);
        }
        return new WalStatus(writtenIndex, writtenIndex, durableIndex, segmentPaths, java.util.Optional.ofNullable(lastSync),
                java.util.Optional.ofNullable(poison), closed, listener.bytesWritten(), saves, syncs);
    }

    long flushedIndex() {
        return flushedIndex;
    }

    private OpenSegment tail() {
        return segments.get(segments.size() - 1);
    }
}

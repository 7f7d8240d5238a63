package dev.jwal.core.engine;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SaveObserver;
import dev.jwal.core.SnapshotNotFoundException;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.WalClosedException;
import dev.jwal.core.WalContents;
import dev.jwal.core.WalException;
import dev.jwal.core.WalInterruptedException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalPoisonedException;
import dev.jwal.core.WalReplay;
import dev.jwal.core.WalReplayHandler;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalStatus;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.segment.FrameEncoder;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.engine.segment.SegmentTail;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An open WAL behind the {@code Wal} face: its mode, what it has accepted, its reads by index and
 * the save path. A save is checked against the rules and either claimed by its caller, who writes
 * it on its own thread when nothing is queued ahead ({@link LogWriter#claimForCaller()}), or
 * queued for the {@link LogWriter}; the room it takes in the writer's queue ({@link QueueRoom})
 * is given back once its outcome is told. The accept lock orders every submission and is never
 * held for I/O.
 */
public final class OpenWal implements AutoCloseable {

    private enum Mode {
        /** Opened for writing; {@link #readAll()} has not run. */
        UNREAD_WRITABLE,
        /** Opened for reading; {@link #readAll()} has not run. */
        UNREAD_READ_ONLY,
        /** Ready to append. */
        APPENDING,
        /** Read-only and already read, or a write-mode read that failed: nothing more to do. */
        DONE,
        CLOSED
    }

    /** The threads and queue bound behind a writable WAL. */
    public static final class Machinery {
        private final Completer completer;
        private final QueueRoom room = new QueueRoom();
        private final LogWriter writer;

        public Machinery(Path directory, WalOptions options) {
            this.completer = new Completer(String.valueOf(directory.getFileName()));
            this.writer = new LogWriter(directory, options, completer, room);
        }

        LogWriter writer() {
            return writer;
        }
    }

    private final Path directory;
    private final WalOptions options;
    /** Read once: a save asks for it each time. */
    private final SaveObserver saveObserver;
    private final Machinery machinery;
    private final List<SegmentName> names;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private volatile Mode mode;
    private WalSnapshot start;
    /** Read-only: the segments, held until read; writable: the locked ones, for the replay. */
    private List<OpenSegment> segments;
    private volatile long acceptedLastIndex;
    private HardState acceptedState = HardState.EMPTY;
    /** Entries at or below this index (the snapshot opened at) are refused. */
    private long floor;
    private volatile EntryIndex index;
    private EntryReader reader;
    private LogRequest closing;

    private OpenWal(Path directory, WalOptions options, Machinery machinery, Mode mode, WalSnapshot start,
            List<SegmentName> names, List<OpenSegment> segments) {
        this.directory = directory;
        this.options = options;
        this.saveObserver = options.saveObserver().orElse(null);
        this.machinery = machinery;
        this.mode = mode;
        this.start = start;
        this.names = names;
        this.segments = new ArrayList<>(segments);
    }

    public static OpenWal appending(Path directory, WalOptions options, Machinery machinery, EntryIndex entries) {
        OpenWal wal = new OpenWal(directory, options, machinery, Mode.APPENDING, WalSnapshot.ZERO, List.of(), List.of());
        wal.startAppending(entries, 0, HardState.EMPTY);
        return wal;
    }

    public static OpenWal readOnly(Path directory, WalOptions options, WalSnapshot start, List<SegmentName> names,
            List<OpenSegment> segments) {
        return new OpenWal(directory, options, null, Mode.UNREAD_READ_ONLY, start, names, segments);
    }

    public static OpenWal unreadWritable(Path directory, WalOptions options, WalSnapshot start, List<SegmentName> names,
            List<OpenSegment> segments, Machinery machinery) {
        return new OpenWal(directory, options, machinery, Mode.UNREAD_WRITABLE, start, names, segments);
    }

    private void startAppending(EntryIndex entries, long lastIndex, HardState state) {
        this.index = entries;
        this.reader = new EntryReader(options.disk(), entries);
        this.acceptedLastIndex = lastIndex;
        this.acceptedState = state;
        this.floor = start.index();
    }

    // ---------------------------------------------------------------------------------------------
    // Reading everything

    /** Reads every record after the snapshot opened at into memory; a writable WAL then appends. */
    public WalContents readAll() {
        List<Entry> entries = new ArrayList<>();
        // Kept before reading: a writable WAL forgets where it was opened once it appends.
        WalSnapshot openedAt = start;
        long first = openedAt.index() + 1;
        LogReplay replay = read(new WalReplayHandler() {
            @Override
            public void entry(Entry entry) {
                entries.add(entry);
            }

            @Override
            public void truncated(long index) {
                entries.subList((int) (index - first), entries.size()).clear();
            }
        });
        WalContents contents = new WalContents(replay.metadata, replay.state, entries,
                Optional.ofNullable(replay.tornTail));
        if (!replay.snapshotFound) {
            throw new SnapshotNotFoundException(openedAt, contents);
        }
        return contents;
    }

    /** Reads as {@link #readAll()} does, handing entries to {@code handler} one at a time. */
    public WalReplay replay(WalReplayHandler handler) {
        Objects.requireNonNull(handler, "handler");
        WalSnapshot openedAt = start;
        LogReplay replay = read(handler);
        if (!replay.snapshotFound) {
            throw new SnapshotNotFoundException(openedAt, new WalContents(replay.metadata, replay.state, List.of(),
                    Optional.ofNullable(replay.tornTail)));
        }
        return new WalReplay(replay.metadata, replay.state, replay.lastIndexSeen, replay.delivered,
                Optional.ofNullable(replay.tornTail));
    }

    private LogReplay read(WalReplayHandler handler) {
        boolean writable;
        acceptLock.lock();
        try {
            if (mode == Mode.UNREAD_WRITABLE) {
                writable = true;
            } else if (mode == Mode.UNREAD_READ_ONLY) {
                writable = false;
            } else if (mode == Mode.CLOSED) {
                throw new WalClosedException();
            } else {
                throw new IllegalStateException("a WAL returned by open or openForRead can be read once");
            }
            mode = Mode.DONE;
        } finally {
            acceptLock.unlock();
        }
        // The reads run here, on the caller's thread, through the disk's uninterruptible reads;
        // everything that writes runs on the log writer's.
        return writable ? readThenAppend(handler) : readOnly(handler);
    }

    private LogReplay readOnly(WalReplayHandler handler) {
        try {
            LogReplay replay = new LogReplay(start, handler, null, names);
            try {
                replay.run(SegmentFiles.decoderOver(segments, options));
            } catch (UnexpectedEofException torn) {
                replay.tornTail = torn;
            }
            return replay;
        } finally {
            SegmentFiles.closeAll(segments);
            segments = List.of();
        }
    }

    private LogReplay readThenAppend(WalReplayHandler handler) {
        SegmentIndexes sealed = SegmentIndexes.of(directory, options);
        EntryIndex entries = new EntryIndex(start.index(), start.term(), sealed);
        LogReplay replay = new LogReplay(start, handler, entries, names);
        // Only a handler that may skip entries has the checkpoint read on its path; for any other,
        // the index thread reads it after the open, to check the segments it vouches for.
        List<SegmentName> all = SegmentDirectory.list(options.disk(), directory);
        CheckpointFile.Cover cover = handler.entriesFrom() == 0 ? null
                : CheckpointFile.cover(CheckpointFile.load(options.disk(), directory), all, options.disk(), directory,
                        options.readLimit());
        int skip = cover == null ? 0 : skippable(cover, handler.entriesFrom());
        FrameDecoder decoder = SegmentFiles.decoderOver(segments.subList(skip, segments.size()), options);
        if (skip > 0) {
            long lastSkipped = names.get(skip - 1).sequence();
            entries.addFromCheckpoint(cover.checkpoint(), directory, lastSkipped);
            replay.resumeAfter(cover.checkpoint(), names.get(0).sequence(), lastSkipped);
            decoder.crc().seed(segmentOf(cover.checkpoint(), lastSkipped).finalCrc());
        }
        replay.run(decoder);
        DiskFile tail = segments.get(segments.size() - 1).file();
        long end = decoder.lastValidOffset();
        long lastIndex = Math.max(replay.lastIndexSeen, start.index());
        machinery.writer.call(() -> {
            try {
                SegmentTail.zeroFrom(tail, end);
            } catch (IOException e) {
                throw new WalIoException("zeroing the tail of", tail.path(), e);
            }
            machinery.writer.startAppending(end, decoder.crc(), replay.metadata, replay.state, lastIndex, entries,
                    true, replay.markersOfTail(tail.path()));
            return null;
        });
        sealed.opened(cover, all.size() - 1);
        acceptLock.lock();
        try {
            startAppending(entries, lastIndex, replay.state);
            segments = List.of();
            if (mode != Mode.CLOSED) {
                mode = Mode.APPENDING;
            }
            start = WalSnapshot.ZERO;
        } finally {
            acceptLock.unlock();
        }
        return replay;
    }

    /**
     * How many of the segments opened, from the first, need not be read: the checkpoint vouches
     * for them, each holds only entries below {@code entriesFrom}, and the segment after them
     * continues their checksums. Never the tail.
     */
    private int skippable(CheckpointFile.Cover cover, long entriesFrom) {
        if (entriesFrom == 0) {
            return 0;
        }
        int skip = 0;
        for (int i = 0; i < names.size() - 1; i++) {
            Checkpoint.Segment recorded = segmentOf(cover.checkpoint(), names.get(i).sequence());
            if (recorded == null || Long.compareUnsigned(recorded.lastIndexAfter(), entriesFrom) >= 0) {
                break;
            }
            skip = i + 1;
        }
        if (skip > 0 && skip < names.size() && segmentOf(cover.checkpoint(), names.get(skip).sequence()) != null
                && !CheckpointFile.continues(options.disk(), directory.resolve(names.get(skip).fileName()),
                        segmentOf(cover.checkpoint(), names.get(skip - 1).sequence()).finalCrc(), options.readLimit())) {
            return 0;
        }
        return skip;
    }

    private static Checkpoint.Segment segmentOf(Checkpoint checkpoint, long sequence) {
        for (Checkpoint.Segment segment : checkpoint.segments()) {
            if (segment.sequence() == sequence) {
                return segment;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /** Saves and waits until the policy counts the save durable. */
    public void save(HardState state, List<Entry> entries) {
        SaveObserver observer = saveObserver;
        if (observer == null) {
            saveAndWait(state, entries);
            return;
        }
        SaveObserver.Ending ending = observer.started(entries.size());
        try {
            saveAndWait(state, entries);
        } catch (RuntimeException | Error e) {
            ending.ended(e);
            throw e;
        }
        ending.ended(null);
    }

    /** Saves and waits; {@code accepted} runs once the save has its place in the order. */
    public void save(HardState state, List<Entry> entries, Runnable accepted) {
        Objects.requireNonNull(accepted, "accepted");
        SaveObserver observer = saveObserver;
        if (observer == null) {
            saveAndWait(state, entries, accepted);
            return;
        }
        SaveObserver.Ending ending = observer.started(entries.size());
        try {
            saveAndWait(state, entries, accepted);
        } catch (RuntimeException | Error e) {
            ending.ended(e);
            throw e;
        }
        ending.ended(null);
    }

    private void saveAndWait(HardState state, List<Entry> entries) {
        saveAndWait(state, entries, null);
    }

    private void saveAndWait(HardState state, List<Entry> entries, Runnable accepted) {
        SaveRequest request = accept(state, entries, false);
        try {
            if (accepted != null) {
                accepted.run();
            }
        } finally {
            // A claimed save is written whatever the callback did: saves behind it wait for it.
            if (request != null && request.writtenByCaller) {
                machinery.writer.writeClaimed(request);
            }
        }
        if (request != null) {
            request.await("the save");
        }
    }

    /** Saves without waiting: the future completes, in save order, on the completer thread. */
    public CompletableFuture<Void> saveAsync(HardState state, List<Entry> entries) {
        SaveObserver observer = saveObserver;
        if (observer == null) {
            return submitSave(state, entries);
        }
        SaveObserver.Ending ending = observer.started(entries.size());
        CompletableFuture<Void> future = submitSave(state, entries);
        future.whenComplete((ignored, failure) -> ending.ended(failure));
        return future;
    }

    private CompletableFuture<Void> submitSave(HardState state, List<Entry> entries) {
        try {
            SaveRequest request = accept(state, entries, true);
            return request == null ? CompletableFuture.completedFuture(null) : request.future;
        } catch (WalException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Checks a save against the rules and hands it to the writer, in call order, or claims the
     * files for the caller to write it itself ({@link SaveRequest#writtenByCaller}); returns null
     * for a save of nothing. The checks and the hand-over share one short lock, never held for I/O.
     */
    private SaveRequest accept(HardState state, List<Entry> entries, boolean async) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(entries, "entries");
        long bytes = SaveRules.bytesOf(entries);
        QueueRoom room = machineryOrThrow().room;
        int permits = room.take(bytes);
        acceptLock.lock();
        try {
            checkAppendable();
            if (state.isEmpty() && entries.isEmpty()) {
                room.giveBack(permits);
                return null;
            }
            SaveRules.checkEntries(entries, options.maxRecordSize(), floor, acceptedLastIndex);
            boolean mustSync = !entries.isEmpty() || state.term() != acceptedState.term()
                    || state.vote() != acceptedState.vote();
            SaveFuture future = async ? machinery.completer.newFuture() : null;
            boolean synced = mustSync && (options.syncPolicy() == SyncPolicy.ALWAYS
                    || options.syncPolicy() == SyncPolicy.GROUP);
            SaveRequest request = new SaveRequest(state, async ? List.copyOf(entries) : entries, mustSync, synced,
                    bytes, permits, future);
            if (future != null) {
                future.bind(request);
            }
            // Published before the writer can see the save, so that no observer finds it under way
            // with the last index still behind it.
            if (!entries.isEmpty()) {
                acceptedLastIndex = entries.get(entries.size() - 1).index();
            }
            if (!state.isEmpty()) {
                acceptedState = state;
            }
            // Claimed here, under the lock every submission takes, so that nothing is queued ahead
            // of it between the claim and the write; written after the lock is let go.
            request.writtenByCaller = !async && machinery.writer.claimForCaller();
            if (!request.writtenByCaller) {
                machinery.writer.submit(request);
            }
            return request;
        } catch (RuntimeException e) {
            room.giveBack(permits);
            throw e;
        } finally {
            acceptLock.unlock();
        }
    }

    /** Appends a snapshot marker and syncs it under every policy. */
    public void saveSnapshot(WalSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        LogRequest request;
        acceptLock.lock();
        try {
            checkAppendable();
            FrameEncoder.checkFits(RaftCodec.encodeSnapshot(snapshot).length, true, "the snapshot marker",
                    options.maxRecordSize());
            request = new SnapshotRequest(snapshot);
            if (Long.compareUnsigned(acceptedLastIndex, snapshot.index()) < 0) {
                acceptedLastIndex = snapshot.index();
            }
            machinery.writer.submit(request);
        } finally {
            acceptLock.unlock();
        }
        request.await("the snapshot marker");
    }

    /** Flushes buffered records to the tail segment and fdatasyncs it, whatever the policy. */
    public void sync() {
        submitWrite(new SyncRequest(true)).await("the sync");
    }

    private LogRequest submitWrite(LogRequest request) {
        acceptLock.lock();
        try {
            checkAppendable();
            machinery.writer.submit(request);
            return request;
        } finally {
            acceptLock.unlock();
        }
    }

    /** Releases the locks of the segments wholly below {@code index}, as etcd's {@code ReleaseLockTo}. */
    public void releaseLockTo(long index) {
        LogRequest request;
        acceptLock.lock();
        try {
            if (mode == Mode.CLOSED) {
                throw new WalClosedException();
            }
            if (machinery == null || mode == Mode.DONE) {
                return;
            }
            request = new ReleaseRequest(index);
            machinery.writer.submit(request);
        } finally {
            acceptLock.unlock();
        }
        request.await("releasing segment locks");
    }

    /** Deletes released segments, oldest first, until {@code keep} remain; a failure poisons. */
    public List<Path> purge(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        LogRequest request;
        acceptLock.lock();
        try {
            if (mode == Mode.CLOSED) {
                throw new WalClosedException();
            }
            if (mode != Mode.APPENDING) {
                throw new IllegalStateException("only a WAL opened for appending and read may purge its segments");
            }
            request = new PurgeRequest(keep);
            machinery.writer.submit(request);
        } finally {
            acceptLock.unlock();
        }
        @SuppressWarnings("unchecked")
        List<Path> deleted = (List<Path>) request.await("the purge");
        return deleted;
    }

    /** Runs the {@link SyncPolicy#INTERVAL} task now, on the writer's thread. */
    public void syncIfWritten() {
        machineryOrThrow().writer.call(() -> {
            machinery.writer.syncIfWritten();
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Reading by index

    /** The live entries {@code [fromIndex, toIndexExclusive)}, read from the files. */
    public List<Entry> entries(long fromIndex, long toIndexExclusive) {
        if (Long.compareUnsigned(toIndexExclusive, fromIndex) <= 0) {
            return List.of();
        }
        return readerOrThrow(toIndexExclusive - 1).read(fromIndex, toIndexExclusive);
    }

    /** The term of the entry at {@code index}, or of the snapshot opened at. */
    public long term(long index) {
        readerOrThrow(index);
        return this.index.term(index);
    }

    /** The reader, once everything up to {@code upTo} that was accepted is in the files. */
    private EntryReader readerOrThrow(long upTo) {
        if (mode == Mode.CLOSED) {
            throw new WalClosedException();
        }
        if (mode != Mode.APPENDING) {
            throw new IllegalStateException(mode == Mode.UNREAD_WRITABLE ? "call readAll() before reading by index"
                    : "reads by index are served by a WAL opened for appending");
        }
        if (Long.compareUnsigned(upTo, machinery.writer.flushedIndex()) > 0
                && Long.compareUnsigned(upTo, acceptedLastIndex) <= 0) {
            // Accepted but still in the writer's queue or buffer: have it written first.
            submitWrite(new SyncRequest(false)).await("the entries to be written");
        }
        return reader;
    }

    // ---------------------------------------------------------------------------------------------
    // Closing

    /** Finishes what was submitted, syncs unless poisoned, and releases every lock; idempotent. */
    @Override
    public void close() {
        end(true);
    }

    /**
     * Stops as a killed process would: nothing buffered is flushed, nothing is synced, the
     * pipeline's spare stays on disk; the descriptors and locks are released.
     */
    public void abandon() {
        end(false);
    }

    /**
     * For tests: forgets what is held in memory of the sealed segments, their exact positions and
     * their samples, so that the next read of each starts from a sample its index file gives, or
     * a scan of the segment when that is missing or not intact.
     */
    public void forgetCachedSamples() {
        EntryIndex entries = index;
        if (entries != null && entries.sealedIndexes() != null) {
            entries.dropSealedPositions();
            entries.sealedIndexes().forgetCached();
        }
    }

    private void end(boolean cleanly) {
        LogRequest request;
        boolean first;
        acceptLock.lock();
        try {
            first = closing == null;
            if (first) {
                closing = new StopRequest(cleanly);
                mode = Mode.CLOSED;
                if (machinery != null) {
                    machinery.writer.submit(closing);
                } else {
                    SegmentFiles.closeAll(segments);
                    segments = List.of();
                    closing.succeed(null);
                }
            }
            request = closing;
        } finally {
            acceptLock.unlock();
        }
        try {
            if (first) {
                // Only the first closer waits on the request (a request has one waiter); the
                // others wait below for the writer to end, which it does once it has closed.
                request.awaitUninterruptibly();
            }
        } finally {
            if (machinery != null && !machinery.writer.isWriterThread()) {
                machinery.writer.join();
                // From inside a callback, the completer cannot finish until this call returns.
                boolean insideCallback = machinery.completer.isCompletingHere();
                Thread completer = machinery.completer.stop();
                if (completer != null && !insideCallback) {
                    LogWriter.joinUninterruptibly(completer);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Observing, without waiting for the writer

    /** The WAL's directory. */
    public Path directory() {
        return directory;
    }

    /** The index of the last entry saved (accepted) or read, raised by snapshots ahead of it. */
    public long lastIndex() {
        return acceptedLastIndex;
    }

    /** The first write or sync failure, if the WAL is poisoned. */
    public Optional<WalException> poisonCause() {
        return machinery == null ? Optional.empty() : Optional.ofNullable(machinery.writer.poison());
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return mode == Mode.CLOSED;
    }

    /** The segments this WAL holds open, oldest first; when writable, each is locked. */
    public List<Path> openSegments() {
        if (machinery == null) {
            acceptLock.lock();
            try {
                return segments.stream().map(s -> s.file().path()).toList();
            } finally {
                acceptLock.unlock();
            }
        }
        return machinery.writer.status().segments();
    }

    /** The status the log writer last published, with the accepted last index. */
    /** The background check of the sealed segments: {@link dev.jwal.core.WalScrub#NONE} when none runs. */
    public dev.jwal.core.WalScrub scrub() {
        EntryIndex entries = index;
        if (entries == null || entries.sealedIndexes() == null) {
            return dev.jwal.core.WalScrub.NONE;
        }
        CheckpointKeeper.ScrubState state = entries.sealedIndexes().scrub();
        return new dev.jwal.core.WalScrub(state.verified(), state.sealed(), Optional.ofNullable(state.problem()));
    }

    /** For tests: waits until the index thread has done what was handed to it so far. */
    public void awaitBackgroundChecks() {
        EntryIndex entries = index;
        if (entries != null && entries.sealedIndexes() != null) {
            entries.sealedIndexes().awaitWrites();
        }
    }

    public WalStatus status() {
        if (machinery == null) {
            return new WalStatus(acceptedLastIndex, acceptedLastIndex, acceptedLastIndex, openSegments(),
                    Optional.empty(), Optional.empty(), isClosed(), 0, 0, 0);
        }
        WalStatus published = machinery.writer.status();
        return new WalStatus(acceptedLastIndex, published.writtenIndex(), published.durableIndex(),
                published.segments(), published.lastSync(), published.poisonCause(),
                isClosed() || published.closed(), published.bytesWritten(), published.saves(), published.syncs());
    }

    private Machinery machineryOrThrow() {
        if (machinery == null) {
            throw mode == Mode.CLOSED ? new WalClosedException() : new IllegalStateException("the WAL is read-only");
        }
        return machinery;
    }

    private void checkAppendable() {
        if (mode == Mode.CLOSED) {
            throw new WalClosedException();
        }
        WalException poison = machinery == null ? null : machinery.writer.poison();
        if (poison != null) {
            throw new WalPoisonedException(poison);
        }
        if (mode != Mode.APPENDING) {
            throw new IllegalStateException(mode == Mode.UNREAD_WRITABLE
                    ? "call readAll() before appending to an opened WAL"
                    : "the WAL is read-only");
        }
    }

}

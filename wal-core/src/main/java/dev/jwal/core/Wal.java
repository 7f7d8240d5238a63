package dev.jwal.core;

import dev.jwal.core.codec.RaftCodec;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.segment.FrameDecoder;
import dev.jwal.core.segment.FrameEncoder;
import dev.jwal.core.segment.SegmentName;
import dev.jwal.core.segment.SegmentTail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A write-ahead log whose directory is, byte for byte, etcd's WAL: segments of frames holding
 * CRC-chained records of raft entries, hard states and snapshot markers.
 *
 * <h2>Life cycle</h2>
 * {@link #create} makes a new WAL ready to append. {@link #open} opens an existing one at a
 * snapshot for reading and then appending: call {@link #readAll()} first, which recovers what was
 * saved after that snapshot and readies the tail for appends ({@link #replay} does the same one
 * entry at a time). {@link #openForRead} only reads. {@link #close()} syncs and releases the
 * segments' locks.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread, by any number of threads at once, and takes effect
 * in the order calls were made. A {@link #save} that finds nothing queued ahead of it and the
 * files idle writes and syncs on its caller's thread ({@link WalOptions#callerWrites()}); every
 * other request, and every save that arrives while the files are busy, is handed to the WAL's
 * log-writer thread, which writes whatever is queued as one batch with one fdatasync: concurrent
 * saves share fdatasyncs. No interrupt can close a channel on either thread, so an interrupt can
 * only end a caller's wait (with {@link WalInterruptedException}, the flag set again), never the
 * WAL; a caller interrupted while it writes its own save finishes writing it first. {@link #saveAsync} futures complete in save order on a completer
 * thread, never the writer's, so their callbacks may save and wait. {@link #status()} and the
 * getters read what the writer last published, without waiting for it.
 *
 * <h2>Failures</h2>
 * After a failed write or fsync the WAL is poisoned: every later append or sync throws
 * {@link WalPoisonedException} naming the first failure, and no fsync is retried. The saves that
 * were in flight when it happened fail with the failure itself: they may or may not be on disk.
 * Close the WAL and open it again; recovery reads what reached the disk.
 */
public final class Wal implements AutoCloseable {

    /** Backpressure: bytes of saves queued for the writer at most, in KiB permits. */
    private static final int QUEUE_PERMITS_KIB = 64 * 1024;

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
    static final class Machinery {
        private final Completer completer;
        private final Semaphore permits = new Semaphore(QUEUE_PERMITS_KIB);
        private final LogWriter writer;

        Machinery(Path directory, WalOptions options) {
            this.completer = new Completer(String.valueOf(directory.getFileName()));
            this.writer = new LogWriter(directory, options, completer, permits);
        }

        LogWriter writer() {
            return writer;
        }
    }

    private final Path directory;
    private final WalOptions options;
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

    private Wal(Path directory, WalOptions options, Machinery machinery, Mode mode, WalSnapshot start,
            List<SegmentName> names, List<OpenSegment> segments) {
        this.directory = directory;
        this.options = options;
        this.machinery = machinery;
        this.mode = mode;
        this.start = start;
        this.names = names;
        this.segments = new ArrayList<>(segments);
    }

    static Wal appending(Path directory, WalOptions options, Machinery machinery, EntryIndex entries) {
        Wal wal = new Wal(directory, options, machinery, Mode.APPENDING, WalSnapshot.ZERO, List.of(), List.of());
        wal.startAppending(entries, 0, HardState.EMPTY);
        return wal;
    }

    static Wal readOnly(Path directory, WalOptions options, WalSnapshot start, List<SegmentName> names,
            List<OpenSegment> segments) {
        return new Wal(directory, options, null, Mode.UNREAD_READ_ONLY, start, names, segments);
    }

    static Wal unreadWritable(Path directory, WalOptions options, WalSnapshot start, List<SegmentName> names,
            List<OpenSegment> segments, Machinery machinery) {
        return new Wal(directory, options, machinery, Mode.UNREAD_WRITABLE, start, names, segments);
    }

    private void startAppending(EntryIndex entries, long lastIndex, HardState state) {
        this.index = entries;
        this.reader = new EntryReader(options.disk(), entries);
        this.acceptedLastIndex = lastIndex;
        this.acceptedState = state;
        this.floor = start.index();
    }

    // ---------------------------------------------------------------------------------------------
    // Creating and opening

    /** {@link #create(Path, byte[], WalOptions)} with the default options. */
    public static Wal create(Path directory, byte[] metadata) {
        return create(directory, metadata, WalOptions.defaults());
    }

    /**
     * Creates a WAL in {@code directory}, ready to append. The first segment is built in
     * {@code <directory>.tmp} and renamed into place, so a crash leaves either no WAL or a complete
     * one. {@code metadata} is written at the head of every segment and given back by
     * {@link #readAll()}; {@code null} writes none.
     *
     * @throws WalExistsException when the directory already holds a WAL or other files
     */
    public static Wal create(Path directory, byte[] metadata, WalOptions options) {
        return WalCreation.create(directory, metadata, options);
    }

    /** Whether {@code directory} holds a WAL: at least one segment file (etcd's {@code Exist}). */
    public static boolean exists(Path directory) {
        return exists(directory, WalOptions.defaults());
    }

    /** {@link #exists(Path)} on the disk of {@code options}. */
    public static boolean exists(Path directory, WalOptions options) {
        return dev.jwal.core.segment.SegmentDirectory.exists(options.disk(), directory.toAbsolutePath().normalize());
    }

    /** {@link #open(Path, WalSnapshot, WalOptions)} with the default options. */
    public static Wal open(Path directory, WalSnapshot snapshot) {
        return open(directory, snapshot, WalOptions.defaults());
    }

    /**
     * Opens a WAL for appending, at a snapshot it holds ({@link WalSnapshot#ZERO} reads from the
     * start). Every segment from the one holding the snapshot on is locked; call
     * {@link #readAll()} before anything else.
     *
     * @throws WalLockedException when another writer holds a segment
     * @throws NoWalFilesException when no segment holds the snapshot's index
     */
    public static Wal open(Path directory, WalSnapshot snapshot, WalOptions options) {
        return WalCreation.open(directory, snapshot, options, true);
    }

    /** {@link #openForRead(Path, WalSnapshot, WalOptions)} with the default options. */
    public static Wal openForRead(Path directory, WalSnapshot snapshot) {
        return openForRead(directory, snapshot, WalOptions.defaults());
    }

    /**
     * Opens a WAL for reading only: no lock is taken and nothing is changed, so this works while
     * another process writes. {@link #readAll()} accepts a torn tail here, reporting it in
     * {@link WalContents#tornTail()}.
     */
    public static Wal openForRead(Path directory, WalSnapshot snapshot, WalOptions options) {
        return WalCreation.open(directory, snapshot, options, false);
    }

    // ---------------------------------------------------------------------------------------------
    // Reading everything

    /**
     * Reads every record after the snapshot the WAL was opened at, as etcd's {@code ReadAll}:
     * entries at or below the snapshot are skipped; an entry at index {@code i} replaces every
     * entry at {@code i} or above read before it (raft overwrote an uncommitted suffix); the last
     * hard state wins; metadata must agree across segments.
     *
     * <p>Opened for writing, the log must end cleanly (a torn tail throws
     * {@link UnexpectedEofException}: see {@link #repair}); then the bytes after the last valid
     * record are zeroed, and the WAL is ready to append, continuing the CRC chain. Can be called
     * once.
     *
     * @throws SnapshotNotFoundException when no snapshot record matches the one opened at; it
     *     carries the contents, and a writable WAL is ready to append all the same
     * @throws SnapshotMismatchException when the record at the snapshot's index has another term
     */
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

    /**
     * Reads as {@link #readAll()} does, but hands each entry after the snapshot to {@code handler}
     * as it is read instead of collecting them, so that a WAL of any size replays in little
     * memory: one entry at a time, and a read buffer. When raft overwrote a suffix, the handler
     * is told with {@link WalReplayHandler#truncated(long)} before the entry that replaces it.
     * The same checks hold, and afterwards a writable WAL is ready to append. Can be called once,
     * instead of {@code readAll}.
     *
     * @throws SnapshotNotFoundException when no snapshot record matches the one opened at, after
     *     every entry was handed over; its contents hold no entries
     */
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
        EntryIndex entries = new EntryIndex(start.index(), start.term());
        LogReplay replay = new LogReplay(start, handler, entries, names);
        FrameDecoder decoder = SegmentFiles.decoderOver(segments, options);
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
                    true);
            return null;
        });
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

    // ---------------------------------------------------------------------------------------------
    // Writing

    /**
     * Appends entries and then the hard state, as etcd's {@code Save}, and returns once they are
     * written (by this thread when the WAL was idle, else by its log writer): under {@link SyncPolicy#ALWAYS} and {@link SyncPolicy#GROUP} after
     * the fdatasync that covers them whenever raft's {@code MustSync} holds (there are entries, or
     * the term or vote changed); under the other policies once they are in the file (the page
     * cache). Nothing happens when the state is empty and there are no entries. A segment that has
     * grown past the segment size is cut after the save.
     *
     * @throws InvalidEntryIndexException before anything is written, when the entries' indexes do
     *     not rise by one, leave a gap after {@link #lastIndex()} or reach back to the snapshot
     * @throws RecordTooLargeException before anything is written, when an entry is too large
     * @throws WalPoisonedException after an earlier write or sync failure
     * @throws WalInterruptedException when the calling thread is interrupted while it waits
     */
    public void save(HardState state, List<Entry> entries) {
        SaveObserver observer = options.saveObserverOrNull();
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

    /**
     * {@link #save}, for a caller that puts its saves in order under a lock of its own (a raft
     * node's log, an application log taking the next index): {@code accepted} runs on this thread
     * as soon as the save has its place in the WAL's order, before it is written or waited for,
     * and is where that lock is let go. Saves behind it are then accepted while this one is
     * written and share the next fdatasync, instead of waiting for the lock through it. When the
     * save is refused before it is accepted (see {@link #save}'s exceptions) {@code accepted} does
     * not run, and the exception is thrown as it is.
     */
    public void save(HardState state, List<Entry> entries, Runnable accepted) {
        Objects.requireNonNull(accepted, "accepted");
        SaveObserver observer = options.saveObserverOrNull();
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
        LogRequest request = accept(state, entries, false);
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

    /**
     * {@link #save} that does not wait: the future completes once the save is durable under the
     * policy (as {@code save} would have returned), or fails as {@code save} would have thrown.
     * Futures complete in call order, on the WAL's completer thread, never the log writer's; a
     * callback may save again and wait for it.
     */
    public CompletableFuture<Void> saveAsync(HardState state, List<Entry> entries) {
        SaveObserver observer = options.saveObserverOrNull();
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
            LogRequest request = accept(state, entries, true);
            return request == null ? CompletableFuture.completedFuture(null) : request.future;
        } catch (WalException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Checks a save against the rules and hands it to the writer, in call order, or claims the
     * files for the caller to write it itself ({@link LogRequest#writtenByCaller}); returns null
     * for a save of nothing. The checks and the hand-over share one short lock, never held for I/O.
     */
    private LogRequest accept(HardState state, List<Entry> entries, boolean async) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(entries, "entries");
        long bytes = SaveRules.bytesOf(entries);
        int permits = SaveRules.permitsFor(bytes, QUEUE_PERMITS_KIB);
        try {
            // Only a full queue makes a caller wait here; a stray interrupt flag alone does not.
            Semaphore queueRoom = machineryOrThrow().permits;
            if (!queueRoom.tryAcquire(permits)) {
                queueRoom.acquire(permits);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalInterruptedException("room in the log writer's queue for the save", false, e);
        }
        acceptLock.lock();
        try {
            checkAppendable();
            if (state.isEmpty() && entries.isEmpty()) {
                machinery.permits.release(permits);
                return null;
            }
            SaveRules.checkEntries(entries, options.maxRecordSize(), floor, acceptedLastIndex);
            boolean mustSync = !entries.isEmpty() || state.term() != acceptedState.term()
                    || state.vote() != acceptedState.vote();
            SaveFuture future = async ? machinery.completer.newFuture() : null;
            boolean synced = mustSync && (options.syncPolicy() == SyncPolicy.ALWAYS
                    || options.syncPolicy() == SyncPolicy.GROUP);
            LogRequest request = LogRequest.save(state, async ? List.copyOf(entries) : entries, mustSync, synced,
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
            machinery.permits.release(permits);
            throw e;
        } finally {
            acceptLock.unlock();
        }
    }

    /**
     * Appends a snapshot marker and syncs, as etcd's {@code SaveSnapshot}, under every policy:
     * a compaction is a promise the application acts on (it deletes the state the marker
     * replaces), so even under {@link SyncPolicy#NONE} the marker, and everything before it, is
     * durable when this returns. The last index rises to the snapshot's index if that is ahead.
     */
    public void saveSnapshot(WalSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        LogRequest request;
        acceptLock.lock();
        try {
            checkAppendable();
            FrameEncoder.checkFits(RaftCodec.encodeSnapshot(snapshot).length, true, "the snapshot marker",
                    options.maxRecordSize());
            request = LogRequest.snapshot(snapshot);
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
        submitWrite(LogRequest.of(LogRequest.Kind.SYNC, 0)).await("the sync");
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

    /**
     * Releases the locks of segments that hold only entries below {@code index}, so that a purger
     * may delete them, as etcd's {@code ReleaseLockTo}: the segment just before the first one
     * whose first index is at or above {@code index} is kept, because it may hold entries up to
     * there. Holding segments 1 to 6, {@code releaseLockTo(4)} releases 1 and 2 and keeps 3.
     */
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
            request = LogRequest.of(LogRequest.Kind.RELEASE, index);
            machinery.writer.submit(request);
        } finally {
            acceptLock.unlock();
        }
        request.await("releasing segment locks");
    }

    /**
     * Deletes the oldest segments until at most {@code keep} remain, as an etcd server's purge
     * with {@code --max-wals}: deletion stops at the first segment this WAL still holds, so only
     * segments let go by {@link #releaseLockTo(long)} go, oldest first. The directory is synced
     * afterwards. A failure here loses nothing saved and does not poison the WAL.
     *
     * @param keep how many segments to keep at least; at least 1
     * @return the deleted segments, oldest first
     * @throws WalIoException when listing, deleting or syncing the directory fails
     */
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
            request = LogRequest.of(LogRequest.Kind.PURGE, keep);
            machinery.writer.submit(request);
        } finally {
            acceptLock.unlock();
        }
        @SuppressWarnings("unchecked")
        List<Path> deleted = (List<Path>) request.await("the purge");
        return deleted;
    }

    /** Runs the {@link SyncPolicy#INTERVAL} task now, on the writer's thread; for tests. */
    void syncIfWritten() {
        machineryOrThrow().writer.call(() -> {
            machinery.writer.syncIfWritten();
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Reading by index

    /**
     * The entries {@code [fromIndex, toIndexExclusive)} of a writable WAL that has been read, as
     * they stand now: overwritten entries are never returned. Served from the files, beside the
     * writer, with one positional read per contiguous megabyte; safe to call from any thread at any
     * time, and an interrupted reader harms nothing.
     *
     * @throws IndexOutOfRangeException for an index at or below the snapshot the WAL was opened
     *     at, in a purged segment, or after {@link #lastIndex()}
     */
    public List<Entry> entries(long fromIndex, long toIndexExclusive) {
        if (Long.compareUnsigned(toIndexExclusive, fromIndex) <= 0) {
            return List.of();
        }
        return readerOrThrow(toIndexExclusive - 1).read(fromIndex, toIndexExclusive);
    }

    /**
     * The term of the entry at {@code index}; at the snapshot the WAL was opened at, the
     * snapshot's term (raft asks for it).
     *
     * @throws IndexOutOfRangeException outside the entries {@link #entries} serves and that snapshot
     */
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
            submitWrite(LogRequest.of(LogRequest.Kind.FLUSH, 0)).await("the entries to be written");
        }
        return reader;
    }

    // ---------------------------------------------------------------------------------------------
    // Closing

    /**
     * Lets the log writer finish what was submitted before, then syncs the tail unless the WAL is
     * poisoned, removes the pipeline's spare and releases every lock. Returns once all that is
     * done and every {@link #saveAsync} future is complete. Closing again, or from several
     * threads at once, does nothing more for the later callers.
     *
     * @throws WalIoException when the final sync fails (to the first caller); the locks are
     *     released all the same
     */
    @Override
    public void close() {
        end(LogRequest.Kind.CLOSE);
    }

    /**
     * Stops as a killed process would: nothing buffered is flushed, nothing is synced, the
     * pipeline's spare stays on disk; the descriptors and locks are released. For tests that
     * reproduce a crash.
     */
    void abandon() {
        end(LogRequest.Kind.ABANDON);
    }

    private void end(LogRequest.Kind kind) {
        LogRequest request;
        boolean first;
        acceptLock.lock();
        try {
            first = closing == null;
            if (first) {
                closing = LogRequest.of(kind, 0);
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

    /**
     * What the WAL looks like now, as the log writer last published it: read without a lock and
     * without waiting for a write or fdatasync under way, so health checks and gauges never stall.
     */
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

    // ---------------------------------------------------------------------------------------------
    // Whole-directory operations

    /** {@link #examine(Path, WalSnapshot, WalOptions)} with the default options. */
    public static WalVerdict examine(Path directory, WalSnapshot snapshot) {
        return examine(directory, snapshot, WalOptions.defaults());
    }

    /**
     * Reads the WAL from the segment holding {@code snapshot} to the end, as a restarting node
     * would, without locking or changing anything, and says what it is: clean, a torn tail that
     * repair may cut, corruption that it may not, snapshot not found, or unreadable. The same
     * verdict as startup, {@link #verify}, {@link #repair}, the endpoint and the {@code jwal}
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

    /** {@link #verify(Path, WalSnapshot, WalOptions)} with the default options. */
    public static HardState verify(Path directory, WalSnapshot snapshot) {
        return verify(directory, snapshot, WalOptions.defaults());
    }

    /**
     * Reads the WAL from the segment holding {@code snapshot} to the end without locking or
     * changing anything, checking every frame, checksum and segment link, the metadata and the
     * snapshot, as etcd's {@code Verify}, and returns the last hard state. A torn tail is
     * accepted, as there; everything {@link #examine} calls corrupt is thrown, including damage
     * that etcd would read as a torn tail but that has readable records after it
     * ({@link ReadableAfterDamageException}) or sits in a segment that is not the last.
     */
    public static HardState verify(Path directory, WalSnapshot snapshot, WalOptions options) {
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
     * @throws WalCorruptionException, ReadableAfterDamageException, SegmentTruncatedException or
     *     FileSequenceGapException when the directory is corrupt, not torn
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

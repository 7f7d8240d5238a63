package dev.jwal.core;

import dev.jwal.core.codec.ProtoFormatException;
import dev.jwal.core.codec.ProtoReader;
import dev.jwal.core.codec.RaftCodec;
import dev.jwal.core.codec.RecordType;
import dev.jwal.core.codec.RecordView;
import dev.jwal.core.codec.RollingCrc;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.segment.FilePipeline;
import dev.jwal.core.segment.FrameDecoder;
import dev.jwal.core.segment.FrameEncoder;
import dev.jwal.core.segment.PageWriter;
import dev.jwal.core.segment.SegmentDirectory;
import dev.jwal.core.segment.SegmentName;
import dev.jwal.core.segment.SegmentTail;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Every method may be called from any thread. {@link #save}, {@link #saveSnapshot},
 * {@link #sync()}, {@link #releaseLockTo} and {@link #close()} are serialised by one lock: each
 * completes before the next starts, so records from one call are never interleaved with another's
 * and, under {@link SyncPolicy#ALWAYS}, a save that returned is on disk together with every save
 * that returned before it. Under {@link SyncPolicy#GROUP} the lock is let go during the shared
 * fdatasync so that other saves append meanwhile; a save still returns (its {@link #saveAsync}
 * future still completes) only once its records are durable, and futures complete in save order.
 *
 * <h2>Failures</h2>
 * After a failed write or fsync the WAL is poisoned: every later append or sync throws
 * {@link WalPoisonedException} naming the first failure, and no fsync is retried. Close it and
 * open it again; recovery reads what reached the disk.
 */
public final class Wal implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Wal.class.getName());

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

    /** A segment file this WAL holds open (and, when writable, locked). */
    private record OpenSegment(SegmentName name, DiskFile file) {
    }

    private final Path directory;
    private final WalOptions options;
    private final Disk disk;
    private final WalListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<OpenSegment> segments;
    private final PageWriter pageWriter;
    private Mode mode;
    private WalSnapshot start;
    private byte[] metadata;
    private HardState lastState = HardState.EMPTY;
    private long lastIndex;
    private FrameEncoder encoder;
    private FilePipeline pipeline;
    private WalException poison;
    /** Records were written to the tail since its last fdatasync. */
    private boolean unsynced;
    private IntervalSyncer intervalSyncer;
    /** Under {@link SyncPolicy#GROUP}: who syncs, and which saves are durable; else null. */
    private final GroupCommit group;
    /** Under GROUP: the tail offset ALWAYS would have flushed to, which decides cuts as it does. */
    private long groupFlushMark;

    /** {@link #append}'s answer when the caller has nothing to wait for. */
    private static final long NO_TICKET = 0;

    private Wal(Path directory, WalOptions options, List<OpenSegment> segments, Mode mode, WalSnapshot start) {
        this.directory = directory;
        this.options = options;
        this.disk = options.disk();
        this.listener = options.listener();
        this.segments = new ArrayList<>(segments);
        this.mode = mode;
        this.start = start;
        this.pageWriter = new PageWriter(listener);
        this.group = options.syncPolicy() == SyncPolicy.GROUP
                ? new GroupCommit(lock, new GroupLog(), listener, options.groupWait(), options.groupMaxBytes(),
                        String.valueOf(directory.getFileName()))
                : null;
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
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        Disk disk = options.disk();
        Path target = directory.toAbsolutePath().normalize();
        if (SegmentDirectory.exists(disk, target)) {
            throw new WalExistsException(target, "the directory already holds a WAL");
        }
        Path parent = target.getParent();
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        SegmentName first = new SegmentName(0, 0);
        DiskFile file = null;
        Wal wal = null;
        boolean renamed = false;
        try {
            ensureEmptyIfPresent(disk, target);
            disk.deleteRecursively(temporary);
            createDirectoriesDurably(disk, parent);
            disk.createDirectories(temporary);
            file = disk.openForWrite(temporary.resolve(first.fileName()), true);
            if (!file.tryLock()) {
                throw new WalLockedException(file.path());
            }
            file.extend(options.segmentSize(), options.preallocate());
            wal = new Wal(target, options, List.of(new OpenSegment(first, file)), Mode.APPENDING, WalSnapshot.ZERO);
            wal.metadata = metadata == null ? null : metadata.clone();
            wal.startEncoder(file, 0, new RollingCrc());
            wal.encoder.checkFits(metadata == null ? 0 : metadata.length, metadata != null, "the metadata");
            wal.encoder.encodeCrc();
            wal.encoder.encodeMetadata(wal.metadata);
            wal.encoder.encodeSnapshot(RaftCodec.encodeSnapshot(WalSnapshot.ZERO));
            wal.flushAndSync(true);
            disk.syncDirectory(temporary);
            if (disk.exists(target)) {
                disk.delete(target);
            }
            disk.rename(temporary, target);
            renamed = true;
            disk.syncDirectory(parent);
            wal.pipeline = new FilePipeline(disk, target, options.segmentSize(), options.preallocate());
            wal.startIntervalSyncs();
            LOG.log(Level.INFO, "created WAL {0}", target);
            return wal;
        } catch (IOException | RuntimeException e) {
            closeQuietly(file, e);
            try {
                disk.deleteRecursively(temporary);
                if (renamed) {
                    // The WAL is in place but its rename may not be durable: move it aside, as
                    // etcd does, so that a retry starts clean and nothing half-made is opened.
                    disk.rename(target, target.resolveSibling(target.getFileName() + ".broken."
                            + System.currentTimeMillis()));
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof WalException w) {
                throw w;
            }
            if (e instanceof IOException io) {
                throw new WalIoException("creating the WAL", target, io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Creates the missing directories of a path and syncs the parent of each, so that a WAL
     * created under a new directory does not vanish with that directory's entry after a crash.
     */
    private static void createDirectoriesDurably(Disk disk, Path directory) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = directory; p != null && !disk.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        if (missing.isEmpty()) {
            return;
        }
        disk.createDirectories(directory);
        for (Path created : missing) {
            if (created.getParent() != null) {
                disk.syncDirectory(created.getParent());
            }
        }
    }

    private static void ensureEmptyIfPresent(Disk disk, Path target) throws IOException {
        if (!disk.exists(target)) {
            return;
        }
        if (!disk.isDirectory(target)) {
            throw new WalExistsException(target, "the path exists and is not a directory");
        }
        List<String> names = disk.list(target);
        if (!names.isEmpty()) {
            // etcd removes the directory whatever it holds; files that are not a WAL's are kept
            // here, so that a misconfigured path never costs someone their data.
            throw new WalExistsException(target, "the directory is not empty and holds no WAL: " + names);
        }
    }

    /** Whether {@code directory} holds a WAL: at least one segment file (etcd's {@code Exist}). */
    public static boolean exists(Path directory) {
        return exists(directory, WalOptions.defaults());
    }

    /** {@link #exists(Path)} on the disk of {@code options}. */
    public static boolean exists(Path directory, WalOptions options) {
        return SegmentDirectory.exists(options.disk(), directory.toAbsolutePath().normalize());
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
        return openAt(directory, snapshot, options, true);
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
        return openAt(directory, snapshot, options, false);
    }

    private static Wal openAt(Path directory, WalSnapshot snapshot, WalOptions options, boolean writable) {
        Objects.requireNonNull(snapshot, "snapshot");
        Path dir = directory.toAbsolutePath().normalize();
        List<SegmentName> names = SegmentDirectory.selectFrom(options.disk(), dir, snapshot.index());
        List<OpenSegment> opened = openSegments(options.disk(), dir, names, writable);
        return new Wal(dir, options, opened, writable ? Mode.UNREAD_WRITABLE : Mode.UNREAD_READ_ONLY, snapshot);
    }

    private static List<OpenSegment> openSegments(Disk disk, Path dir, List<SegmentName> names, boolean lock) {
        List<OpenSegment> opened = new ArrayList<>();
        try {
            for (SegmentName name : names) {
                Path path = dir.resolve(name.fileName());
                DiskFile file = lock ? disk.openForWrite(path, false) : disk.openForRead(path);
                opened.add(new OpenSegment(name, file));
                if (lock && !file.tryLock()) {
                    throw new WalLockedException(path);
                }
            }
            return opened;
        } catch (IOException | RuntimeException e) {
            for (OpenSegment segment : opened) {
                closeQuietly(segment.file(), e);
            }
            if (e instanceof IOException io) {
                throw new WalIoException("opening a segment of", dir, io);
            }
            throw (RuntimeException) e;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

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
        long first = start.index() + 1;
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
            throw new SnapshotNotFoundException(start, contents);
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
        LogReplay replay = read(handler);
        if (!replay.snapshotFound) {
            throw new SnapshotNotFoundException(start, new WalContents(replay.metadata, replay.state, List.of(),
                    Optional.ofNullable(replay.tornTail)));
        }
        return new WalReplay(replay.metadata, replay.state, replay.lastIndexSeen, replay.delivered,
                Optional.ofNullable(replay.tornTail));
    }

    private LogReplay read(WalReplayHandler handler) {
        lock.lock();
        try {
            boolean writable;
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
            return writable ? readThenAppend(handler) : readOnly(handler);
        } finally {
            lock.unlock();
        }
    }

    private LogReplay readOnly(WalReplayHandler handler) {
        try {
            LogReplay replay = new LogReplay(start, handler);
            try {
                replay.run(decoderOver(segments, options));
            } catch (UnexpectedEofException torn) {
                replay.tornTail = torn;
            }
            return replay;
        } finally {
            closeSegments();
        }
    }

    private LogReplay readThenAppend(WalReplayHandler handler) {
        LogReplay replay = new LogReplay(start, handler);
        FrameDecoder decoder = decoderOver(segments, options);
        replay.run(decoder);
        OpenSegment tail = tail();
        long end = decoder.lastValidOffset();
        try {
            SegmentTail.zeroFrom(tail.file(), end);
        } catch (IOException e) {
            throw new WalIoException("zeroing the tail of", tail.file().path(), e);
        }
        metadata = replay.metadata;
        lastState = replay.state;
        lastIndex = replay.lastIndexSeen;
        startEncoder(tail.file(), end, decoder.crc());
        pipeline = new FilePipeline(disk, directory, options.segmentSize(), options.preallocate());
        mode = Mode.APPENDING;
        startIntervalSyncs();
        start = WalSnapshot.ZERO;
        return replay;
    }

    /** etcd's ReadAll loop: the checks it makes, handing entries after the snapshot on. */
    private static final class LogReplay {
        private final WalSnapshot start;
        private final WalReplayHandler handler;
        private final ProtoReader reader = new ProtoReader();
        private byte[] metadata;
        private HardState state = HardState.EMPTY;
        private long lastIndexSeen;
        /** The index of the last entry handed on; the next must follow it or overwrite. */
        private long lastDelivered;
        private long delivered;
        private boolean snapshotFound;
        private UnexpectedEofException tornTail;

        LogReplay(WalSnapshot start, WalReplayHandler handler) {
            this.start = start;
            this.handler = handler;
            this.lastDelivered = start.index();
        }

        void run(FrameDecoder decoder) {
            RecordView record = new RecordView();
            while (decoder.next(record)) {
                visitDecoding(this::apply, record, decoder);
            }
        }

        private void apply(RecordView record, FrameDecoder decoder) {
            switch ((int) record.type() == record.type() ? (int) record.type() : -1) {
                case RecordType.ENTRY -> {
                    Entry entry = RaftCodec.decodeEntry(record.readData(reader));
                    if (Long.compareUnsigned(entry.index(), start.index()) > 0) {
                        if (Long.compareUnsigned(entry.index(), lastDelivered + 1) > 0) {
                            throw new SliceOutOfRangeException(entry.index(), lastDelivered + 1,
                                    decoder.currentPath(), decoder.recordOffset());
                        }
                        if (Long.compareUnsigned(entry.index(), lastDelivered) <= 0) {
                            handler.truncated(entry.index());
                        }
                        handler.entry(entry);
                        lastDelivered = entry.index();
                        delivered++;
                    }
                    lastIndexSeen = entry.index();
                }
                case RecordType.STATE -> state = RaftCodec.decodeHardState(record.readData(reader));
                case RecordType.METADATA -> {
                    byte[] data = record.copyData();
                    checkMetadata(metadata, data, decoder);
                    metadata = data;
                }
                case RecordType.CRC -> {
                    // checked and chained by the decoder
                }
                case RecordType.SNAPSHOT -> snapshotFound |= isTheSnapshot(start,
                        RaftCodec.decodeSnapshot(record.readData(reader)));
                default -> throw new UnknownRecordTypeException(record.type(), decoder.currentPath(),
                        decoder.recordOffset());
            }
        }
    }

    /**
     * Whether a snapshot marker read from the log is the one the WAL was opened at; a marker at
     * the same index with another term means the caller's snapshot is not this log's.
     */
    private static boolean isTheSnapshot(WalSnapshot wanted, WalSnapshot marker) {
        if (marker.index() != wanted.index()) {
            return false;
        }
        if (marker.term() != wanted.term()) {
            throw new SnapshotMismatchException(wanted, marker.term());
        }
        return true;
    }

    /** etcd compares metadata with {@code bytes.Equal}, for which nil and empty are equal. */
    private static void checkMetadata(byte[] seen, byte[] next, FrameDecoder decoder) {
        if (seen != null && !Arrays.equals(seen, next == null ? new byte[0] : next)) {
            throw new MetadataConflictException(decoder.currentPath(), decoder.recordOffset());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /**
     * Appends entries and then the hard state, as etcd's {@code Save}. Nothing happens when the
     * state is empty and there are no entries; an empty state writes no state record. Under
     * {@link SyncPolicy#ALWAYS} and {@link SyncPolicy#GROUP} the call returns after an fdatasync
     * when raft's {@code MustSync} holds: there are entries, or the term or vote changed. A
     * segment that has grown past the segment size is cut after the save.
     *
     * @throws RecordTooLargeException before anything is written, when an entry is too large
     * @throws WalPoisonedException after an earlier write or sync failure
     */
    public void save(HardState state, List<Entry> entries) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(entries, "entries");
        long ticket;
        lock.lock();
        try {
            ticket = append(state, entries);
        } finally {
            lock.unlock();
        }
        if (ticket != NO_TICKET) {
            group.awaitDurable(ticket);
        }
    }

    /**
     * {@link #save} that does not wait for the fdatasync under {@link SyncPolicy#GROUP}: the
     * records are written to the buffer in call order, and the future completes once a group
     * sync has made them durable, or fails when the WAL is poisoned or closed first. Futures
     * complete in call order, on the WAL's completer thread; a callback may save again. Under the
     * other policies the save runs on the calling thread and the future is done on return.
     *
     * @return a future completed when the save is durable under the policy; failed, and not
     *     thrown, for any {@link WalException} (too large, poisoned, closed)
     */
    public CompletableFuture<Void> saveAsync(HardState state, List<Entry> entries) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(entries, "entries");
        lock.lock();
        try {
            long ticket = append(state, entries);
            if (group == null || group.completesNow(ticket)) {
                return CompletableFuture.completedFuture(null);
            }
            return group.enqueue(ticket);
        } catch (WalException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes one save, with the lock held: synced here under {@link SyncPolicy#ALWAYS}; under
     * {@link SyncPolicy#GROUP}, returns the ticket to wait for ({@link #NO_TICKET} when there is
     * nothing to wait for).
     */
    private long append(HardState state, List<Entry> entries) {
        checkAppendable();
        if (state.isEmpty() && entries.isEmpty()) {
            return NO_TICKET;
        }
        boolean mustSync = !entries.isEmpty() || state.term() != lastState.term() || state.vote() != lastState.vote();
        for (Entry entry : entries) {
            encoder.checkEntryFits(entry);
        }
        long ticket = NO_TICKET;
        try {
            long before = pageWriter.logicalOffset();
            for (Entry entry : entries) {
                encoder.encodeEntry(entry);
                lastIndex = entry.index();
            }
            if (!state.isEmpty()) {
                encoder.encodeState(state);
                lastState = state;
            }
            // ALWAYS decides to cut by what was flushed before this save's own flush; under GROUP,
            // which flushes later, the mark of what ALWAYS would have flushed stands in for it, so
            // that cuts fall where they fall under ALWAYS.
            boolean full = Math.max(pageWriter.flushedOffset(), groupFlushMark) >= options.segmentSize();
            if (group != null) {
                ticket = group.written(pageWriter.logicalOffset() - before);
                if (mustSync) {
                    groupFlushMark = pageWriter.logicalOffset();
                }
            }
            if (full) {
                cut();
            } else if (mustSync && group == null) {
                flushAndSync(syncsEverySave());
            }
        } catch (IOException | RuntimeException e) {
            throw poison("saving to", e);
        }
        listener.saved(entries.size());
        return mustSync ? ticket : NO_TICKET;
    }

    /**
     * Appends a snapshot marker and syncs, as etcd's {@code SaveSnapshot}. The last index rises
     * to the snapshot's index if that is ahead. Under {@link SyncPolicy#NONE} the record is only
     * flushed to the file.
     */
    public void saveSnapshot(WalSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        lock.lock();
        try {
            checkAppendable();
            byte[] encoded = RaftCodec.encodeSnapshot(snapshot);
            encoder.checkFits(encoded.length, true, "the snapshot marker");
            try {
                encoder.encodeSnapshot(encoded);
                if (Long.compareUnsigned(lastIndex, snapshot.index()) < 0) {
                    lastIndex = snapshot.index();
                }
                flushAndSync(options.syncPolicy() != SyncPolicy.NONE);
            } catch (IOException | RuntimeException e) {
                throw poison("saving a snapshot to", e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Flushes buffered records to the tail segment and fdatasyncs it, whatever the policy. */
    public void sync() {
        lock.lock();
        try {
            checkAppendable();
            try {
                flushAndSync(true);
            } catch (IOException | RuntimeException e) {
                throw poison("syncing", e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases the locks of segments that hold only entries below {@code index}, so that a purger
     * may delete them, as etcd's {@code ReleaseLockTo}: the segment just before the first one
     * whose first index is at or above {@code index} is kept, because it may hold entries up to
     * there. Holding segments 1 to 6, {@code releaseLockTo(4)} releases 1 and 2 and keeps 3.
     */
    public void releaseLockTo(long index) {
        lock.lock();
        try {
            if (mode == Mode.CLOSED) {
                throw new WalClosedException();
            }
            if (segments.isEmpty() || mode == Mode.UNREAD_READ_ONLY || mode == Mode.DONE) {
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
            if (group != null) {
                // a group sync may be syncing a segment about to be released
                group.awaitIdle();
            }
            List<OpenSegment> released = segments.subList(0, keepFrom);
            for (OpenSegment segment : released) {
                try {
                    segment.file().close();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "failed to release segment " + segment.file().path(), e);
                }
            }
            released.clear();
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            if (mode == Mode.CLOSED) {
                throw new WalClosedException();
            }
            if (mode != Mode.APPENDING) {
                throw new IllegalStateException("only a WAL opened for appending and read may purge its segments");
            }
            List<SegmentName> all = SegmentDirectory.list(disk, directory);
            Set<Path> held = new HashSet<>();
            for (OpenSegment segment : segments) {
                held.add(segment.file().path());
            }
            List<Path> deleted = new ArrayList<>();
            for (int i = 0; all.size() - i > keep; i++) {
                Path path = directory.resolve(all.get(i).fileName());
                if (held.contains(path)) {
                    break;
                }
                try {
                    disk.delete(path);
                } catch (IOException e) {
                    throw new WalIoException("purging", path, e);
                }
                deleted.add(path);
            }
            if (!deleted.isEmpty()) {
                try {
                    disk.syncDirectory(directory);
                } catch (IOException e) {
                    throw new WalIoException("syncing after purging", directory, e);
                }
                LOG.log(Level.INFO, "purged {0} WAL segment(s) up to {1}", deleted.size(),
                        deleted.get(deleted.size() - 1).getFileName());
            }
            return List.copyOf(deleted);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the file pipeline (removing its spare), syncs the tail unless the WAL is poisoned, and
     * releases every lock. Closing twice does nothing.
     *
     * @throws WalIoException when the final sync fails; the locks are released all the same
     */
    @Override
    public void close() {
        Thread completer = null;
        lock.lock();
        try {
            if (mode == Mode.CLOSED) {
                return;
            }
            boolean appending = mode == Mode.APPENDING;
            if (group != null) {
                group.quiesce();
            }
            mode = Mode.CLOSED;
            stopIntervalSyncs();
            WalException failure = null;
            if (pipeline != null) {
                try {
                    pipeline.close();
                } catch (IOException e) {
                    failure = new WalIoException("removing the spare segment of", directory, e);
                }
            }
            if (appending && poison == null) {
                try {
                    flushAndSync(true);
                } catch (IOException | RuntimeException e) {
                    failure = poison("closing", e);
                }
            }
            closeSegments();
            completer = group == null ? null : group.stop();
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
            joinCompleter(completer);
        }
    }

    /** Waits for the group completer to complete or fail the futures it holds. */
    private static void joinCompleter(Thread completer) {
        if (completer == null || completer == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                completer.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops as a killed process would: nothing buffered is flushed, nothing is synced, the
     * pipeline's spare stays on disk; the descriptors and locks are released. For tests that
     * reproduce a crash.
     */
    void abandon() {
        Thread completer = null;
        lock.lock();
        try {
            if (mode == Mode.CLOSED) {
                return;
            }
            mode = Mode.CLOSED;
            stopIntervalSyncs();
            if (pipeline != null) {
                pipeline.abandon();
            }
            if (group != null) {
                group.quiesce();
                completer = group.stop();
            }
            closeSegments();
        } finally {
            lock.unlock();
            joinCompleter(completer);
        }
    }

    /** The WAL's directory. */
    public Path directory() {
        return directory;
    }

    /** The index of the last entry saved or read, raised by snapshots ahead of it. */
    public long lastIndex() {
        lock.lock();
        try {
            return lastIndex;
        } finally {
            lock.unlock();
        }
    }

    /** The first write or sync failure, if the WAL is poisoned. */
    public Optional<WalException> poisonCause() {
        lock.lock();
        try {
            return Optional.ofNullable(poison);
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        lock.lock();
        try {
            return mode == Mode.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /** The segments this WAL holds open, oldest first; when writable, each is locked. */
    public List<Path> openSegments() {
        lock.lock();
        try {
            return segments.stream().map(s -> s.file().path()).toList();
        } finally {
            lock.unlock();
        }
    }

    /** {@link GroupCommit}'s view of this WAL; called with the lock held, but for sync. */
    private final class GroupLog implements GroupCommit.Log {

        @Override
        public DiskFile flushTail() throws IOException {
            pageWriter.flush();
            return tail().file();
        }

        @Override
        public void sync(DiskFile file) throws IOException {
            syncFile(file);
        }

        @Override
        public WalException poison(String action, Throwable failure) {
            return Wal.this.poison(action, failure);
        }

        @Override
        public WalException refusal() {
            if (poison != null) {
                return new WalPoisonedException(poison);
            }
            return mode == Mode.CLOSED ? new WalClosedException() : null;
        }
    }

    private void checkAppendable() {
        if (mode == Mode.CLOSED) {
            throw new WalClosedException();
        }
        if (poison != null) {
            throw new WalPoisonedException(poison);
        }
        if (mode != Mode.APPENDING) {
            throw new IllegalStateException(mode == Mode.UNREAD_WRITABLE
                    ? "call readAll() before appending to an opened WAL"
                    : "the WAL is read-only");
        }
    }

    private void startEncoder(DiskFile file, long offset, RollingCrc crc) {
        pageWriter.reset(file, offset);
        encoder = new FrameEncoder(pageWriter, crc, options.maxRecordSize());
    }

    private boolean syncsEverySave() {
        return options.syncPolicy() == SyncPolicy.ALWAYS;
    }

    private void flushAndSync(boolean fsync) throws IOException {
        pageWriter.flush();
        if (fsync) {
            syncFile(tail().file());
            unsynced = false;
            if (group != null) {
                group.allDurable();
            }
        } else {
            unsynced = true;
        }
    }

    private void startIntervalSyncs() {
        if (options.syncPolicy() == SyncPolicy.INTERVAL) {
            intervalSyncer = new IntervalSyncer(directory.getFileName().toString(), options.syncInterval(),
                    this::syncIfWritten);
        }
    }

    /**
     * The {@link SyncPolicy#INTERVAL} task: an fdatasync when records were written since the last
     * one. A failure poisons the WAL like any other; the next save reports it.
     */
    void syncIfWritten() {
        lock.lock();
        try {
            if (mode != Mode.APPENDING || poison != null || !unsynced) {
                return;
            }
            try {
                flushAndSync(true);
            } catch (IOException | RuntimeException e) {
                poison("syncing in the background", e);
            }
        } finally {
            lock.unlock();
        }
    }

    private void syncFile(DiskFile file) throws IOException {
        long begin = System.nanoTime();
        file.sync();
        long took = System.nanoTime() - begin;
        listener.synced(took);
        if (took > options.slowSyncThreshold().toNanos()) {
            listener.slowSync(took);
            LOG.log(Level.WARNING, "slow fdatasync of {0}: took {1} ms, expected less than {2} ms", file.path(),
                    String.valueOf(TimeUnit.NANOSECONDS.toMillis(took)),
                    String.valueOf(options.slowSyncThreshold().toMillis()));
        }
    }

    /**
     * Starts a new segment, as etcd's {@code cut}: the tail is cut to its records and synced; a
     * spare from the pipeline gets a crc record carrying the checksum on, the metadata and the last
     * hard state, is synced, and is renamed to {@code <seq+1>-<lastIndex+1>.wal}; the directory is
     * synced so that the rename survives a crash.
     */
    private void cut() throws IOException {
        OpenSegment tail = tail();
        pageWriter.flush();
        tail.file().truncate(pageWriter.flushedOffset());
        syncFile(tail.file());

        DiskFile spare = pipeline.take();
        SegmentName name = new SegmentName(tail.name().sequence() + 1, lastIndex + 1);
        segments.add(new OpenSegment(name, spare));
        pageWriter.reset(spare, 0);
        encoder.encodeCrc();
        encoder.encodeMetadata(metadata);
        if (!lastState.isEmpty()) {
            encoder.encodeState(lastState);
        }
        pageWriter.flush();
        syncFile(spare);
        Path path = directory.resolve(name.fileName());
        disk.rename(spare.path(), path);
        long begin = System.nanoTime();
        disk.syncDirectory(directory);
        listener.synced(System.nanoTime() - begin);
        unsynced = false;
        groupFlushMark = 0;
        if (group != null) {
            group.allDurable();
        }
        listener.segmentCut(path);
        LOG.log(Level.DEBUG, "cut WAL segment {0}", path);
    }

    private void stopIntervalSyncs() {
        if (intervalSyncer != null) {
            intervalSyncer.close();
        }
    }

    private OpenSegment tail() {
        return segments.get(segments.size() - 1);
    }

    private WalException poison(String action, Throwable failure) {
        WalException error;
        if (failure instanceof WalException w) {
            error = w;
        } else if (failure instanceof IOException io) {
            error = new WalIoException(action, tail().file().path(), io);
        } else {
            error = new WalException("wal: " + action + " " + directory + " failed: " + failure, failure);
        }
        if (poison == null) {
            poison = error;
            if (group != null) {
                group.refused();
            }
            listener.failed(error);
            LOG.log(Level.ERROR, "WAL " + directory + " is poisoned: no further appends", failure);
        }
        return error;
    }

    private void closeSegments() {
        closeAll(segments);
        segments.clear();
    }

    private static void closeAll(List<OpenSegment> opened) {
        for (OpenSegment segment : opened) {
            try {
                segment.file().close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "failed to close segment " + segment.file().path(), e);
            }
        }
    }

    private static void closeQuietly(DiskFile file, Throwable primary) {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Whole-directory operations

    /** {@link #verify(Path, WalSnapshot, WalOptions)} with the default options. */
    public static HardState verify(Path directory, WalSnapshot snapshot) {
        return verify(directory, snapshot, WalOptions.defaults());
    }

    /**
     * Reads the WAL from the segment holding {@code snapshot} to the end without locking or
     * changing anything, checking every frame, checksum and segment link, the metadata and the
     * snapshot, as etcd's {@code Verify}. A torn tail is accepted, as there. Returns the last hard
     * state.
     */
    public static HardState verify(Path directory, WalSnapshot snapshot, WalOptions options) {
        Path dir = directory.toAbsolutePath().normalize();
        List<SegmentName> names = SegmentDirectory.selectFrom(options.disk(), dir, snapshot.index());
        VerifyPass pass = new VerifyPass(snapshot);
        scanReadOnly(dir, names, options, pass);
        if (!pass.found) {
            throw new SnapshotNotFoundException(snapshot, null);
        }
        return pass.state;
    }

    /** etcd's Verify loop: metadata agreement, the snapshot's term, the last state. */
    private static final class VerifyPass implements RecordVisitor {
        private final WalSnapshot snapshot;
        private final ProtoReader reader = new ProtoReader();
        private byte[] metadata;
        private HardState state = HardState.EMPTY;
        private boolean found;

        VerifyPass(WalSnapshot snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public void visit(RecordView record, FrameDecoder decoder) {
            switch ((int) record.type() == record.type() ? (int) record.type() : -1) {
                case RecordType.METADATA -> {
                    byte[] data = record.copyData();
                    checkMetadata(metadata, data, decoder);
                    metadata = data;
                }
                case RecordType.SNAPSHOT -> found |= isTheSnapshot(snapshot,
                        RaftCodec.decodeSnapshot(record.readData(reader)));
                case RecordType.STATE -> state = RaftCodec.decodeHardState(record.readData(reader));
                case RecordType.ENTRY, RecordType.CRC -> {
                    // entries need no decoding to verify the log; crc records are the decoder's
                }
                default -> throw new UnknownRecordTypeException(record.type(), decoder.currentPath(),
                        decoder.recordOffset());
            }
        }
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
        Path dir = directory.toAbsolutePath().normalize();
        List<SegmentName> names = SegmentDirectory.list(options.disk(), dir);
        if (names.isEmpty()) {
            throw new NoWalFilesException(dir, "no .wal files in the directory");
        }
        ProtoReader reader = new ProtoReader();
        List<WalSnapshot> snapshots = new ArrayList<>();
        HardState[] state = {HardState.EMPTY};
        scanReadOnly(dir, names, options, (record, decoder) -> {
            if (record.type() == RecordType.SNAPSHOT) {
                snapshots.add(RaftCodec.decodeSnapshot(record.readData(reader)));
            } else if (record.type() == RecordType.STATE) {
                state[0] = RaftCodec.decodeHardState(record.readData(reader));
            }
        });
        long commit = state[0].commit();
        return snapshots.stream().filter(s -> Long.compareUnsigned(s.index(), commit) <= 0).toList();
    }

    /** Sees one record of a scan; the decoder says where it is. */
    @FunctionalInterface
    private interface RecordVisitor {
        void visit(RecordView record, FrameDecoder decoder);
    }

    /**
     * Reads segments without locking them, as etcd's read-only passes do: every record goes to the
     * visitor, a torn tail ends the log, a message that does not decode is corruption at its frame.
     */
    private static void scanReadOnly(Path dir, List<SegmentName> names, WalOptions options, RecordVisitor visitor) {
        List<OpenSegment> opened = openSegments(options.disk(), dir, names, false);
        try {
            FrameDecoder decoder = decoderOver(opened, options);
            RecordView record = new RecordView();
            try {
                while (decoder.next(record)) {
                    visitDecoding(visitor, record, decoder);
                }
            } catch (UnexpectedEofException tornTail) {
                // Read-only: a torn tail ends the log, as in etcd.
            }
        } finally {
            closeAll(opened);
        }
    }

    private static void visitDecoding(RecordVisitor visitor, RecordView record, FrameDecoder decoder) {
        try {
            visitor.visit(record, decoder);
        } catch (ProtoFormatException e) {
            throw new RecordDecodeException(e.getMessage(), decoder.currentPath(), decoder.recordOffset());
        }
    }

    /** {@link #repair(Path, WalOptions)} with the default options. */
    public static RepairResult repair(Path directory) {
        return repair(directory, WalOptions.defaults());
    }

    /**
     * Repairs a torn tail, as etcd's {@code Repair}: the last segment is read; if it ends inside a
     * record, the whole file is first copied to {@code <name>.broken}, then cut after its last
     * valid record and synced. A log that ends cleanly is left alone. Only the tail can be
     * repaired: corruption, anywhere, is thrown as it is found and nothing is changed.
     *
     * @throws WalCorruptionException when the last segment is corrupted, not torn
     * @throws WalLockedException when a writer holds the last segment
     */
    public static RepairResult repair(Path directory, WalOptions options) {
        Path dir = directory.toAbsolutePath().normalize();
        Disk disk = options.disk();
        List<SegmentName> names = SegmentDirectory.list(disk, dir);
        if (names.isEmpty()) {
            throw new NoWalFilesException(dir, "no .wal files in the directory");
        }
        Path last = dir.resolve(names.get(names.size() - 1).fileName());
        DiskFile file;
        try {
            file = disk.openForWrite(last, false);
        } catch (IOException e) {
            throw new WalIoException("opening for repair", last, e);
        }
        try {
            if (!file.tryLock()) {
                throw new WalLockedException(last);
            }
            FrameDecoder decoder = new FrameDecoder(List.of(new FrameDecoder.Source(last, file)),
                    options.maxRecordSize());
            RecordView record = new RecordView();
            try {
                while (decoder.next(record)) {
                    // every record is checked by the decoder; the first failure says what to do
                }
                return RepairResult.clean(last);
            } catch (UnexpectedEofException torn) {
                return cutTornTail(disk, dir, file, decoder.lastValidOffset(), torn);
            }
        } catch (IOException e) {
            throw new WalIoException("repairing", last, e);
        } finally {
            try {
                file.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "failed to close segment " + last, e);
            }
        }
    }

    private static RepairResult cutTornTail(Disk disk, Path dir, DiskFile file, long keep,
            UnexpectedEofException torn) throws IOException {
        Path path = file.path();
        Path broken = path.resolveSibling(path.getFileName() + ".broken");
        long size = file.size();
        if (disk.exists(broken)) {
            disk.delete(broken);
        }
        try (DiskFile copy = disk.openForWrite(broken, true)) {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < size; ) {
                chunk.clear();
                int n = file.read(chunk, at);
                if (n < 0) {
                    break;
                }
                chunk.flip();
                copy.write(chunk, at);
                at += n;
            }
            copy.sync();
        }
        disk.syncDirectory(dir);
        file.truncate(keep);
        file.sync();
        LOG.log(Level.WARNING, "repaired WAL segment {0}: cut at offset {1}, {2} bytes removed ({3}); the whole file"
                + " was kept as {4}", path, String.valueOf(keep), String.valueOf(size - keep), torn.getMessage(), broken);
        return new RepairResult(path, true, keep, size - keep, broken);
    }

    private static FrameDecoder decoderOver(List<OpenSegment> opened, WalOptions options) {
        List<FrameDecoder.Source> sources = new ArrayList<>(opened.size());
        for (OpenSegment segment : opened) {
            sources.add(new FrameDecoder.Source(segment.file().path(), segment.file()));
        }
        return new FrameDecoder(sources, options.maxRecordSize());
    }
}

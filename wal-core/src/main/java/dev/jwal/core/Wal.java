package dev.jwal.core;

import dev.jwal.core.engine.OpenWal;
import dev.jwal.core.engine.WalCreation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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

    /** The open WAL behind this face; package-private so that jwal's own tests can stop it as a crash would. */
    final OpenWal engine;

    private Wal(OpenWal engine) {
        this.engine = engine;
    }

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
        return new Wal(WalCreation.create(directory, metadata, options));
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
        return new Wal(WalCreation.open(directory, snapshot, options, true));
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
        return new Wal(WalCreation.open(directory, snapshot, options, false));
    }

    /**
     * Reads every record after the snapshot the WAL was opened at, as etcd's {@code ReadAll}:
     * entries at or below the snapshot are skipped; an entry at index {@code i} replaces every
     * entry at {@code i} or above read before it (raft overwrote an uncommitted suffix); the last
     * hard state wins; metadata must agree across segments.
     *
     * <p>Opened for writing, the log must end cleanly (a torn tail throws
     * {@link UnexpectedEofException}: see {@link WalDirectory#repair}); then the bytes after the last valid
     * record are zeroed, and the WAL is ready to append, continuing the CRC chain. Can be called
     * once.
     *
     * @throws SnapshotNotFoundException when no snapshot record matches the one opened at; it
     *     carries the contents, and a writable WAL is ready to append all the same
     * @throws SnapshotMismatchException when the record at the snapshot's index has another term
     */
    public WalContents readAll() {
        return engine.readAll();
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
        return engine.replay(handler);
    }

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
        engine.save(state, entries);
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
        engine.save(state, entries, accepted);
    }

    /**
     * {@link #save} that does not wait: the future completes once the save is durable under the
     * policy (as {@code save} would have returned), or fails as {@code save} would have thrown.
     * Futures complete in call order, on the WAL's completer thread, never the log writer's; a
     * callback may save again and wait for it.
     */
    public CompletableFuture<Void> saveAsync(HardState state, List<Entry> entries) {
        return engine.saveAsync(state, entries);
    }

    /**
     * Appends a snapshot marker and syncs, as etcd's {@code SaveSnapshot}, under every policy:
     * a compaction is a promise the application acts on (it deletes the state the marker
     * replaces), so even under {@link SyncPolicy#NONE} the marker, and everything before it, is
     * durable when this returns. The last index rises to the snapshot's index if that is ahead.
     */
    public void saveSnapshot(WalSnapshot snapshot) {
        engine.saveSnapshot(snapshot);
    }

    /** Flushes buffered records to the tail segment and fdatasyncs it, whatever the policy. */
    public void sync() {
        engine.sync();
    }

    /**
     * Releases the locks of segments that hold only entries below {@code index}, so that a purger
     * may delete them, as etcd's {@code ReleaseLockTo}: the segment just before the first one
     * whose first index is at or above {@code index} is kept, because it may hold entries up to
     * there. Holding segments 1 to 6, {@code releaseLockTo(4)} releases 1 and 2 and keeps 3.
     */
    public void releaseLockTo(long index) {
        engine.releaseLockTo(index);
    }

    /**
     * Deletes the oldest segments until at most {@code keep} remain, as an etcd server's purge
     * with {@code --max-wals}: deletion stops at the first segment this WAL still holds, so only
     * segments let go by {@link #releaseLockTo(long)} go, oldest first. The directory is synced
     * afterwards. A failure here loses nothing saved but poisons the WAL, as it ends an etcd
     * server: what survives is always the newest segments, and a reopen recovers from them.
     *
     * @param keep how many segments to keep at least; at least 1
     * @return the deleted segments, oldest first
     * @throws WalIoException when listing, deleting or syncing the directory fails
     */
    public List<Path> purge(int keep) {
        return engine.purge(keep);
    }

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
        return engine.entries(fromIndex, toIndexExclusive);
    }

    /**
     * The term of the entry at {@code index}; at the snapshot the WAL was opened at, the
     * snapshot's term (raft asks for it).
     *
     * @throws IndexOutOfRangeException outside the entries {@link #entries} serves and that snapshot
     */
    public long term(long index) {
        return engine.term(index);
    }

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
        engine.close();
    }

    /** The WAL's directory. */
    public Path directory() {
        return engine.directory();
    }

    /** The index of the last entry saved (accepted) or read, raised by snapshots ahead of it. */
    public long lastIndex() {
        return engine.lastIndex();
    }

    /** The first write or sync failure, if the WAL is poisoned. */
    public Optional<WalException> poisonCause() {
        return engine.poisonCause();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return engine.isClosed();
    }

    /** The segments this WAL holds open, oldest first; when writable, each is locked. */
    public List<Path> openSegments() {
        return engine.openSegments();
    }

    /**
     * What the WAL looks like now, as the log writer last published it: read without a lock and
     * without waiting for a write or fdatasync under way, so health checks and gauges never stall.
     */
    public WalStatus status() {
        return engine.status();
    }

    /**
     * How far the background check of the sealed segments has got ({@link WalScrub}); after an
     * open that a checkpoint spared from reading them, this is where damage in them is found.
     */
    public WalScrub scrub() {
        return engine.scrub();
    }
}

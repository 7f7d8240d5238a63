package dev.jwal.jgroups.raft;

import dev.jwal.core.Entry;
import dev.jwal.core.EntryType;
import dev.jwal.core.HardState;
import dev.jwal.core.IndexOutOfRangeException;
import dev.jwal.core.Wal;
import dev.jwal.core.WalFutures;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjLongConsumer;
import org.jgroups.Address;
import org.jgroups.protocols.raft.Log;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;

/**
 * jgroups-raft's {@link Log} on a jwal WAL: RAFT's entries are the WAL's entries, and its current
 * term, vote and commit index are etcd's hard state, so the directory's {@code wal/} folder opens
 * in etcd's own tools. Choose it with {@code RAFT.log_class="dev.jwal.jgroups.raft.JwalRaftLog"}
 * or hand an instance to {@code RAFT.log(...)}.
 *
 * <p>The log named {@code name} is the directory {@code name}. It holds {@code wal/} (the WAL),
 * {@code members} (the table that turns the vote's JGroups address into the number a hard state
 * keeps) and, once the log has been truncated, {@code snapshot} (RAFT's snapshot with the first
 * index it leaves).
 *
 * <p><b>Durability.</b> An {@link #append} returns after the fdatasync that covers it, and a new
 * term or vote is fsync'd before its setter returns: RAFT acknowledges a write on a majority of
 * logs, and a log that only buffered it could lose an acknowledged write on a power cut. This
 * holds whatever {@link #useFsync(boolean)} asks, because RAFT asks for no fsync by default
 * ({@code log_use_fsync=false}). Concurrent appends share their fdatasync (the WAL's group
 * commit). The commit index is handed to the WAL without waiting and made durable by the next
 * append's fdatasync: raft does not need it durable.
 *
 * <p><b>Snapshots.</b> {@link #setSnapshot} stages the snapshot, and the {@link #truncate} or
 * {@link #reinitializeTo} that follows it (RAFT always calls one) stores it together with the new
 * first index, in one atomic file replacement before the WAL is touched. RAFT recovers by loading
 * the snapshot and applying the entries after the first index, so the two must never disagree
 * after a crash. A staged snapshot that neither follows is stored at {@link #close()}.
 *
 * <p><b>Differences from FileBasedLog, on purpose.</b> Entries at or below the commit index are
 * never overwritten ({@link IllegalArgumentException}); an append that leaves a gap is refused;
 * {@link #reinitializeTo} never lowers the current term. Errors are thrown, never only logged.
 *
 * <p>{@code log_args} (comma-separated {@code key=value}): {@code sync} ({@code group}, the default,
 * or {@code always}: the same guarantee, one fdatasync per append), {@code segment_size} (bytes,
 * a multiple of 8; etcd's 64 MiB by default), {@code keep_segments} (released segments kept after
 * a truncation, as etcd's {@code --max-wals}; 5 by default), {@code spin_wait} ({@code false} by
 * default; {@code true} where the node has CPUs to spare).
 *
 * <p>Every method may be called from any thread.
 */
public class JwalRaftLog implements Log {

    /** The metadata every jgroups-raft WAL carries, which tells it apart from other jwal WALs. */
    public static final String METADATA = "jwal-jgroups-raft/1";

    /** The WAL's folder inside the log's directory. */
    public static final String WAL_DIRECTORY = "wal";

    private static final System.Logger LOG = System.getLogger(JwalRaftLog.class.getName());
    private static final int READ_BATCH = 1024;
    private static final byte[] METADATA_BYTES = METADATA.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final WalOptions baseOptions;
    private final ReentrantLock lock = new ReentrantLock();

    // Set by init; the fields below are written under the lock and read without it.
    private Path directory;
    private Wal wal;
    private MemberTable members;
    private int keepSegments;
    private volatile long currentTerm;
    private volatile Address votedFor;
    private long voteNumber;
    private volatile long commitIndex;
    private volatile long firstAppended;
    private volatile long lastAppended;
    private volatile long sizeInBytes;
    private final EntrySizes sizes = new EntrySizes();
    private ByteBuffer snapshot;
    private ByteBuffer staged;
    private boolean fsyncOffNoted;

    /**
     * A log as RAFT's {@code log_class} creates it, {@code log_args} changing its defaults: GROUP
     * sync, and no spinning while waiting ({@link WalOptions#spinWait()}): raft nodes share their
     * CPUs with JGroups' threads and often with other nodes, where a spinning waiter slows commits
     * (three nodes on one two-CPU machine committed 3 to 4 times slower with it on).
     */
    public JwalRaftLog() {
        this(WalOptions.builder().syncPolicy(dev.jwal.core.SyncPolicy.GROUP).spinWait(false).build());
    }

    /**
     * A log on a WAL with {@code options}, as code configures it (the Spring Boot starter does):
     * their sync policy must make saves durable ({@code GROUP} or {@code ALWAYS}).
     */
    public JwalRaftLog(WalOptions options) {
        this.baseOptions = requireDurable(Objects.requireNonNull(options, "options"));
    }

    private static WalOptions requireDurable(WalOptions options) {
        if (options.syncPolicy() != dev.jwal.core.SyncPolicy.GROUP && options.syncPolicy() != dev.jwal.core.SyncPolicy.ALWAYS) {
            throw new IllegalArgumentException("a raft log fsyncs every append: its sync policy must be GROUP or ALWAYS, not "
                    + options.syncPolicy());
        }
        return options;
    }

    // ---------------------------------------------------------------------------------------------
    // Lifecycle

    @Override
    public void init(String logName, Map<String, String> args) throws Exception {
        Objects.requireNonNull(logName, "logName");
        lock.lock();
        try {
            if (wal != null) {
                throw new IllegalStateException("the log " + directory + " is already open");
            }
            LogArguments arguments = LogArguments.parse(args, baseOptions);
            Path dir = Path.of(logName).toAbsolutePath().normalize();
            Files.createDirectories(dir);
            AtomicFile.removeLeftover(dir.resolve(MemberTable.FILE_NAME));
            AtomicFile.removeLeftover(dir.resolve(SnapshotFile.FILE_NAME));
            LogRecovery.Recovered recovered = LogRecovery.openOrCreate(dir, arguments.options(), METADATA_BYTES, sizes);
            directory = dir;
            wal = recovered.wal();
            members = recovered.members();
            keepSegments = arguments.keepSegments();
            HardState state = recovered.hardState();
            currentTerm = state.term();
            voteNumber = state.vote();
            votedFor = members.memberAt(state.vote());
            commitIndex = state.commit();
            firstAppended = recovered.firstIndex();
            lastAppended = recovered.lastIndex();
            snapshot = recovered.snapshot();
            staged = null;
            sizeInBytes = sizes.total();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stores a staged snapshot, waits for every save, syncs and closes the WAL; closing a closed
     * (or never opened) log does nothing. The log may be opened again with {@link #init}.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (wal == null) {
                return;
            }
            try {
                if (staged != null) {
                    storeSnapshotFile(firstAppended, firstAppended == 0 ? 0 : wal.term(firstAppended), staged);
                }
            } finally {
                wal.close();
                wal = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes the log's files and directory; the log is closed first. */
    @Override
    public void delete() throws Exception {
        close();
        lock.lock();
        try {
            if (directory == null) {
                return;
            }
            Path walDirectory = directory.resolve(WAL_DIRECTORY);
            if (Files.isDirectory(walDirectory)) {
                try (var files = Files.list(walDirectory)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Files.delete(file);
                    }
                }
                Files.delete(walDirectory);
            }
            Files.deleteIfExists(directory.resolve(MemberTable.FILE_NAME));
            Files.deleteIfExists(directory.resolve(SnapshotFile.FILE_NAME));
            AtomicFile.syncDirectory(directory);
            try {
                Files.delete(directory);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // other files than the log's: they are not the log's to delete
            }
            directory = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Does not turn fsync off: every append is durable when it returns (see the class comment).
     * Asked for {@code false}, as RAFT's default {@code log_use_fsync} does, it says so once.
     */
    @Override
    public Log useFsync(boolean fsync) {
        if (!fsync && !fsyncOffNoted) {
            fsyncOffNoted = true;
            LOG.log(Level.INFO, "jwal's raft log fsyncs every append; log_use_fsync=false does not turn that off");
        }
        return this;
    }

    /** Always true: see {@link #useFsync(boolean)}. */
    @Override
    public boolean useFsync() {
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Hard state

    @Override
    public long currentTerm() {
        return currentTerm;
    }

    /** Sets the current term, fsync'd before this returns. */
    @Override
    public Log currentTerm(long newTerm) {
        lock.lock();
        try {
            openWal();
            currentTerm = newTerm;
            saveStateAndUnlock();
        } finally {
            unlockIfHeld();
        }
        return this;
    }

    @Override
    public Address votedFor() {
        return votedFor;
    }

    /** Sets the vote, fsync'd before this returns; a member voted for the first time is added to the member table first. */
    @Override
    public Log votedFor(Address member) {
        lock.lock();
        try {
            openWal();
            voteNumber = members.numberOf(member);
            votedFor = member;
            saveStateAndUnlock();
        } finally {
            unlockIfHeld();
        }
        return this;
    }

    @Override
    public long commitIndex() {
        return commitIndex;
    }

    /**
     * Sets the commit index. Raft does not need it durable (a restarted node learns it again from
     * the leader), and a hard state whose term and vote are unchanged needs no fdatasync (raft's
     * {@code MustSync}): on an idle WAL this thread only encodes the record into the page buffer,
     * and the next append's fdatasync, or {@link #close()}, covers it. Handed to the log writer,
     * as it once always was, it cost a thread hand-off on every commit, on the leader and on each
     * follower; now only when the writer is busy, and then this waits for its turn.
     */
    @Override
    public Log commitIndex(long newIndex) {
        lock.lock();
        try {
            openWal();
            if (newIndex != commitIndex) {
                commitIndex = newIndex;
                saveStateAndUnlock();
            }
        } finally {
            unlockIfHeld();
        }
        return this;
    }

    /**
     * Saves the hard state as it stands, letting go of the lock once the WAL has the save in
     * order and before it is written, so that calls behind it are not held up by the write.
     */
    private void saveStateAndUnlock() {
        wal.save(new HardState(currentTerm, voteNumber, commitIndex), List.of(), lock::unlock);
    }

    private void unlockIfHeld() {
        if (lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Entries

    @Override
    public long firstAppended() {
        return firstAppended;
    }

    @Override
    public long lastAppended() {
        return lastAppended;
    }

    /**
     * Appends {@code entries} at {@code index}, durable when this returns. An index at or below
     * the last appended one replaces the suffix from there (raft's overwrite).
     *
     * @return the index of the last entry appended
     * @throws IllegalArgumentException when the index would leave a gap after the last entry or
     *     overwrite an entry at or below the commit index; nothing is written then
     */
    @Override
    public long append(long index, LogEntries entries) {
        int count = entries.size();
        long last;
        lock.lock();
        try {
            openWal();
            if (count == 0) {
                return lastAppended;
            }
            if (index > lastAppended + 1) {
                throw new IllegalArgumentException("cannot append at " + index + ": the last entry is " + lastAppended
                        + ", which would leave a gap");
            }
            if (index <= commitIndex) {
                throw new IllegalArgumentException("cannot append at " + index + ": entries up to the commit index "
                        + commitIndex + " are never overwritten");
            }
            List<Entry> converted = new ArrayList<>(count);
            long termOfEntries = currentTerm;
            long at = index;
            for (LogEntry entry : entries) {
                converted.add(toWal(entry, at++));
                termOfEntries = Math.max(termOfEntries, entry.term());
            }
            currentTerm = termOfEntries;
            for (int i = 0; i < count; i++) {
                sizes.record(index + i, converted.get(i).dataLength());
            }
            sizeInBytes = sizes.total();
            last = index + count - 1;
            lastAppended = last;
            // The lock is let go once the WAL has the save in order, before it is written: on an
            // idle WAL this thread then writes and syncs it itself, with no hand-off to the log
            // writer, and appends behind it queue and share the writer's next fdatasync.
            wal.save(new HardState(currentTerm, voteNumber, commitIndex), converted, lock::unlock);
        } finally {
            unlockIfHeld();
        }
        return last;
    }

    /** The entry at {@code index}, read from the WAL; null outside {@code [max(1, first), last]}. */
    @Override
    public LogEntry get(long index) {
        if (index < Math.max(1, firstAppended) || index > lastAppended) {
            return null;
        }
        try {
            List<Entry> found = openWal().entries(index, index + 1);
            return found.isEmpty() ? null : toRaft(found.get(0));
        } catch (IndexOutOfRangeException e) {
            // truncated or overwritten since the bounds were read
            return null;
        }
    }

    /** Applies {@code function} to the entries in {@code [max(start, first, 1), min(end, last)]}, in order. */
    @Override
    public void forEach(ObjLongConsumer<LogEntry> function, long startIndex, long endIndex) {
        long from = Math.max(startIndex, Math.max(1, firstAppended));
        long to = Math.min(endIndex, lastAppended);
        Wal open = openWal();
        while (from <= to) {
            long until = Math.min(to + 1, from + READ_BATCH);
            List<Entry> batch;
            try {
                batch = open.entries(from, until);
            } catch (IndexOutOfRangeException e) {
                return;
            }
            for (Entry entry : batch) {
                function.accept(toRaft(entry), entry.index());
            }
            from = until;
        }
    }

    @Override
    public void forEach(ObjLongConsumer<LogEntry> function) {
        forEach(function, firstAppended, lastAppended);
    }

    /** The command bytes of the entries in {@code [first, last]}. */
    @Override
    public long sizeInBytes() {
        return sizeInBytes;
    }

    /**
     * Removes the entries below {@code indexExclusive} (capped at the commit index); the entry at
     * it stays and becomes the first. A staged snapshot is stored with it.
     */
    @Override
    public void truncate(long indexExclusive) {
        lock.lock();
        try {
            openWal();
            long first = Math.min(indexExclusive, commitIndex);
            if (first <= firstAppended || first < 1) {
                return;
            }
            long firstTerm = wal.term(first);
            long markerTerm = first - 1 == 0 ? 0 : wal.term(first - 1);
            storeSnapshotFile(first, firstTerm, staged != null ? staged : snapshot);
            firstAppended = first;
            sizes.dropBefore(first);
            sizeInBytes = sizes.total();
            compactTo(first - 1, markerTerm);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Clears the log and starts it again at {@code index} with {@code entry} (a follower that
     * installed a snapshot): first, last and commit index become {@code index}; the current term
     * becomes the entry's if that is higher. A staged snapshot is stored with it.
     */
    @Override
    public void reinitializeTo(long index, LogEntry entry) throws Exception {
        if (index < 1) {
            throw new IllegalArgumentException("cannot reinitialize to index " + index + ": entries start at 1");
        }
        lock.lock();
        try {
            openWal();
            storeSnapshotFile(index, entry.term(), staged != null ? staged : snapshot);
            long term = Math.max(currentTerm, entry.term());
            HardState state = new HardState(term, voteNumber, index);
            // The commit index first: a snapshot marker counts only at or below a saved commit.
            WalFutures.await(wal.saveAsync(state, List.of()), "the commit index");
            wal.saveSnapshot(WalSnapshot.of(index - 1, entry.term()));
            Entry first = toWal(entry, index);
            WalFutures.await(wal.saveAsync(state, List.of(first)), "the entry at " + index);
            sizes.reset(index);
            sizes.record(index, first.dataLength());
            sizeInBytes = sizes.total();
            // Published once the WAL holds the entry, last first, so that a reader that sees the
            // new commit index or first index finds the entry there.
            currentTerm = term;
            lastAppended = index;
            commitIndex = index;
            firstAppended = index;
            releaseAndPurge(index - 1);
            LOG.log(Level.INFO, "installed a snapshot in " + directory + ": the log now starts at index " + index
                    + " (term " + entry.term() + ")");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the entries from {@code startIndex} on; the current term becomes the term of the
     * entry before it (0 when none is left), as jgroups-raft's own logs do. The next append at
     * {@code startIndex} replaces them in the WAL.
     *
     * @throws IllegalArgumentException for an index at or below the commit index
     */
    @Override
    public void deleteAllEntriesStartingFrom(long startIndex) {
        lock.lock();
        try {
            openWal();
            if (startIndex > lastAppended) {
                return;
            }
            if (startIndex <= commitIndex) {
                throw new IllegalArgumentException("cannot delete entries from " + startIndex
                        + ": entries up to the commit index " + commitIndex + " are never removed");
            }
            long keep = Math.max(startIndex, Math.max(1, firstAppended)) - 1;
            long term = keep >= Math.max(1, firstAppended) ? wal.term(keep) : 0;
            currentTerm = term;
            WalFutures.await(saveState(List.of()), "the current term");
            // The WAL drops the entries when the next append overwrites them, as etcd's does. A
            // crash before that brings them back as they were before the deletion: uncommitted,
            // which raft resolves again with the leader.
            sizes.dropFrom(keep + 1);
            sizeInBytes = sizes.total();
            lastAppended = keep;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Snapshot

    /** Stages {@code snapshot}; the {@link #truncate} or {@link #reinitializeTo} that follows stores it. */
    @Override
    public void setSnapshot(ByteBuffer sn) {
        lock.lock();
        try {
            staged = copyOf(sn);
        } finally {
            lock.unlock();
        }
    }

    /** The staged snapshot, else the stored one; null when there is none. */
    @Override
    public ByteBuffer getSnapshot() {
        lock.lock();
        try {
            ByteBuffer current = staged != null ? staged : snapshot;
            return current == null ? null : current.duplicate();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // For the starter and operators

    /** The WAL underneath (health, metrics and the endpoint read its status); null when closed. */
    public Wal wal() {
        return wal;
    }

    /** The log's directory; null before {@link #init}. */
    public Path directory() {
        return directory;
    }

    @Override
    public String toString() {
        return "JwalRaftLog " + directory + ": first=" + firstAppended + ", commit=" + commitIndex + ", last="
                + lastAppended + ", term=" + currentTerm;
    }

    // ---------------------------------------------------------------------------------------------

    private Wal openWal() {
        Wal open = wal;
        if (open == null) {
            throw new IllegalStateException(directory == null ? "the log is not initialised (call init first)"
                    : "the log " + directory + " is closed");
        }
        return open;
    }

    /** Submits a save of the hard state as it stands and {@code entries}; under the lock. */
    private CompletableFuture<Void> saveState(List<Entry> entries) {
        return wal.saveAsync(new HardState(currentTerm, voteNumber, commitIndex), entries);
    }

    private void storeSnapshotFile(long first, long firstTerm, ByteBuffer contents) {
        try {
            SnapshotFile.store(directory, new SnapshotFile.Contents(first, firstTerm, contents));
        } catch (IOException e) {
            throw new UncheckedIOException("storing the snapshot file in " + directory, e);
        }
        snapshot = contents;
        staged = null;
    }

    /** Marks {@code marker} as the WAL's snapshot point and lets older segments go. */
    private void compactTo(long marker, long markerTerm) {
        wal.saveSnapshot(WalSnapshot.of(marker, markerTerm));
        releaseAndPurge(marker);
    }

    private void releaseAndPurge(long marker) {
        wal.releaseLockTo(marker);
        wal.purge(keepSegments);
    }

    private static Entry toWal(LogEntry entry, long index) {
        byte[] command = entry.command();
        byte[] data;
        if (command == null) {
            data = new byte[0];
        } else if (entry.offset() == 0 && entry.length() == command.length) {
            data = command;
        } else {
            data = Arrays.copyOfRange(command, entry.offset(), entry.offset() + entry.length());
        }
        // jgroups-raft's internal commands change the membership: etcd's conf-change entries.
        return new Entry(entry.term(), index, entry.internal() ? EntryType.CONF_CHANGE : EntryType.NORMAL, data);
    }

    private static LogEntry toRaft(Entry entry) {
        byte[] data = entry.data();
        return new LogEntry(entry.term(), data, 0, data.length, entry.type() == EntryType.CONF_CHANGE);
    }

    private static ByteBuffer copyOf(ByteBuffer source) {
        if (source == null) {
            return null;
        }
        ByteBuffer from = source.duplicate();
        ByteBuffer copy = ByteBuffer.allocate(from.remaining());
        copy.put(from).flip();
        return copy;
    }
}

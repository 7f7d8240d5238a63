package dev.jwal.core.log;

import dev.jwal.core.Entry;
import dev.jwal.core.EntryType;
import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalException;
import dev.jwal.core.WalInterruptedException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalStartup;
import dev.jwal.core.WalStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * A durable, ordered log of byte records, for services that are not raft nodes: event stores,
 * job queues, audit trails. Records get indexes 1, 2, 3, … in append order; an append returns
 * (or its future completes) once the record is durable under the WAL's sync policy; reads return
 * acknowledged records in order, from the files, while appends go on; {@link #compact} drops
 * what the application holds in its own snapshot.
 *
 * <p>Underneath it is a {@link Wal} in etcd's format: each record is one normal entry of term
 * {@value #TERM}, each append also saves a hard state whose commit index is the append's last
 * record, and a compaction is a snapshot marker followed by etcd's release and purge. So
 * {@code jwal}, etcd's tools and etcd itself read the files. A directory is either a {@code WalLog}'s
 * or a raft node's: the metadata {@code jwal-log/1} marks this API's, and either refuses the other's.
 *
 * <p>Thread-safe: any number of threads may append, read and compact at once. Index assignment
 * and the hand-over to the WAL are serialised; the waits for durability are not, so concurrent
 * appends share fdatasyncs under {@link dev.jwal.core.SyncPolicy#GROUP}.
 */
public final class WalLog implements AutoCloseable {

    /** The term of every entry an application log writes. */
    public static final long TERM = 1;

    /** How many released segments a compaction keeps by default (etcd's {@code --max-wals}). */
    public static final int DEFAULT_KEEP_SEGMENTS = 5;

    private static final byte[] METADATA = "jwal-log/1".getBytes(StandardCharsets.UTF_8);

    private final Wal wal;
    private final int keepSegments;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock compactLock = new ReentrantLock();
    /** The last record whose append was acknowledged: what reads may return. */
    private final AtomicLong acknowledged;
    private volatile long compactedThrough;
    private final List<LogSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicLong subscriptionsStarted = new AtomicLong();
    private final List<LogSubscriptionListener> subscriptionListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private WalLog(Wal wal, long lastIndex, long compactedThrough, int keepSegments) {
        this.wal = wal;
        this.acknowledged = new AtomicLong(lastIndex);
        this.compactedThrough = compactedThrough;
        this.keepSegments = keepSegments;
    }

    /** {@link #open(Path, WalOptions, int)} keeping {@link #DEFAULT_KEEP_SEGMENTS} released segments. */
    public static WalLog open(Path directory, WalOptions options) {
        return open(directory, options, DEFAULT_KEEP_SEGMENTS);
    }

    /**
     * Opens the log in {@code directory}, creating it when the directory holds no WAL. An existing
     * log is opened at its newest compaction point and read to its end (every checksum checked, as
     * {@link Wal#open} does): {@link #compactedThrough()} says where the application's snapshot must
     * reach, and {@link #read} from {@link #firstIndex()} hands over the records after it. To rebuild
     * state in the same read, use {@link #open(WalStartup, int, LogRecoveryHandler)}.
     *
     * @param keepSegments released segments a compaction keeps (at least 1)
     * @throws NotAnApplicationLogException when the directory holds a WAL another API wrote
     */
    public static WalLog open(Path directory, WalOptions options, int keepSegments) {
        return open(WalStartup.in(directory, options), keepSegments, LogRecoveryHandler.NONE);
    }

    /**
     * Opens the log as {@link #open(Path, WalOptions, int)} does, handing every record after the
     * compaction point to {@code recovery} as it is read and checked: one pass over the files, in
     * bounded memory. A torn tail is cut first when {@code startup} allows it
     * ({@link WalStartup#repairTornTail}); the records are handed over once all the same. The
     * startup's metadata and snapshot choice are the log's own: {@code jwal-log/1}, and the newest
     * compaction point.
     *
     * @throws NotAnApplicationLogException when the directory holds a WAL another API wrote, before
     *     any record of it is handed over
     */
    public static WalLog open(WalStartup startup, int keepSegments, LogRecoveryHandler recovery) {
        Objects.requireNonNull(startup, "startup");
        Objects.requireNonNull(recovery, "recovery");
        if (keepSegments < 1) {
            throw new IllegalArgumentException("keepSegments must be at least 1, was " + keepSegments);
        }
        Path directory = startup.directory();
        long from = recovery.fromIndex();
        WalStartup.Started started = startup.metadata(METADATA).snapshot(valid -> valid.get(valid.size() - 1))
                .start(new WalStartup.Handler() {
                    @Override
                    public void begin(boolean created, WalSnapshot openedAt) {
                        recovery.begin(openedAt.index());
                    }

                    @Override
                    public void metadata(byte[] metadata) {
                        checkMetadata(directory, metadata);
                    }

                    @Override
                    public void entry(Entry entry) {
                        if (entry.term() != TERM || entry.type() != EntryType.NORMAL) {
                            throw new NotAnApplicationLogException(directory, "entry "
                                    + Long.toUnsignedString(entry.index()) + " is of term " + entry.term()
                                    + " and type " + entry.typeNumber());
                        }
                        if (Long.compareUnsigned(entry.index(), from) >= 0) {
                            recovery.record(new LogRecord(entry.index(), entry.data()));
                        }
                    }

                    @Override
                    public long entriesFrom() {
                        return from;
                    }

                    @Override
                    public void truncated(long index) {
                        throw new NotAnApplicationLogException(directory, "its log overwrites itself from index "
                                + Long.toUnsignedString(index));
                    }
                });
        Wal wal = started.wal();
        try {
            checkMetadata(directory, started.replay().metadata());
            long compactedThrough = started.snapshot().index();
            WalLog log = new WalLog(wal, Math.max(compactedThrough, wal.lastIndex()), compactedThrough, keepSegments);
            recovery.end(log.lastIndex());
            return log;
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
    }

    private static void checkMetadata(Path directory, byte[] metadata) {
        if (!Arrays.equals(metadata, METADATA)) {
            throw new NotAnApplicationLogException(directory, "its metadata is " + describe(metadata)
                    + ", not jwal-log/1");
        }
    }

    private static String describe(byte[] metadata) {
        return metadata == null ? "empty" : "'" + new String(metadata, StandardCharsets.UTF_8) + "'";
    }

    // ---------------------------------------------------------------------------------------------
    // Appending

    /**
     * Appends one record and returns its index once it is durable under the sync policy.
     *
     * @throws WalInterruptedException when the calling thread is interrupted while it waits: the
     *     record was submitted and may or may not be durable
     * @throws WalException when the WAL refuses or fails the append (poisoned, closed, too large)
     */
    public long append(byte[] record) {
        return appendAndWait(List.of(record), -1);
    }

    /**
     * Appends the records in one save, at consecutive indexes, and returns the first one's index
     * once all are durable: they are durable together or not at all.
     */
    public long appendAll(List<byte[]> records) {
        return appendAndWait(records, -1);
    }

    /** {@link #append} without waiting: the future completes with the index once it is durable. */
    public CompletableFuture<Long> appendAsync(byte[] record) {
        return appendAllAsync(List.of(record));
    }

    /**
     * {@link #appendAsync(byte[])}, with {@code inOrder} applied to the record's index once it is
     * durable, one at a time and in append order with every other append's: on the WAL's completer
     * thread, or on a caller completing the futures up to its own. This is how an application
     * applies what it appends to its own state in the log's order without a lock of its own (a
     * callback attached to a future afterwards runs at once on the attaching thread when the
     * future is complete already, possibly after a later append's). The future completes with what
     * {@code inOrder} returns, or fails with what it throws; the record stays appended either way.
     * {@code inOrder} must be quick and must not wait for appends.
     */
    public <T> CompletableFuture<T> appendAsync(byte[] record, LongFunction<T> inOrder) {
        Objects.requireNonNull(inOrder, "inOrder");
        try {
            return submit(List.of(record), -1, inOrder);
        } catch (WalException | IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@link #appendAsync(byte[], LongFunction)} only if {@code condition} holds when the record
     * takes its place in the log's order: the condition is evaluated under the lock that orders
     * every append, so that no other append comes between it and this one, and an application
     * needs no lock of its own to append "only if" (a delete of a key that exists). Empty, with
     * nothing written, when it does not hold. The condition must be quick and must not append.
     */
    public <T> Optional<CompletableFuture<T>> appendAsyncIf(BooleanSupplier condition, byte[] record,
            LongFunction<T> inOrder) {
        Objects.requireNonNull(condition, "condition");
        appendLock.lock();
        try {
            return condition.getAsBoolean() ? Optional.of(appendAsync(record, inOrder)) : Optional.empty();
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * {@link #appendAll} without waiting. Futures complete in append order, on the WAL's completer
     * thread; a callback may append again.
     */
    public CompletableFuture<Long> appendAllAsync(List<byte[]> records) {
        try {
            return submit(records, -1, first -> first);
        } catch (WalException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Appends one record only if the log's last index is {@code expectedLastIndex} (KurrentDB's
     * expected revision): two writers cannot interleave blindly. Returns the record's index
     * ({@code expectedLastIndex + 1}) once durable.
     *
     * @throws AppendConflictException before anything is written, when another append came first
     */
    public long appendExpecting(long expectedLastIndex, byte[] record) {
        return appendAllExpecting(expectedLastIndex, List.of(record));
    }

    /** {@link #appendExpecting} for several records in one save; returns the first one's index. */
    public long appendAllExpecting(long expectedLastIndex, List<byte[]> records) {
        if (expectedLastIndex < 0) {
            throw new IllegalArgumentException("expectedLastIndex must not be negative, was " + expectedLastIndex);
        }
        return appendAndWait(records, expectedLastIndex);
    }

    /**
     * Takes the indexes and hands the save over under the append lock; the continuation is chained
     * under it too, so that continuations run in append order (see {@link #appendAsync(byte[], LongFunction)}).
     */
    private <T> CompletableFuture<T> submit(List<byte[]> records, long expectedLastIndex, LongFunction<T> inOrder) {
        appendLock.lock();
        try {
            List<Entry> entries = entriesAfterLast(records, expectedLastIndex);
            long first = entries.get(0).index();
            long end = entries.get(entries.size() - 1).index();
            return wal.saveAsync(commitThrough(end), entries).thenApply(durable -> {
                acknowledge(end);
                return inOrder.apply(first);
            });
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * An append that waits: the indexes are taken under the append lock, which is let go as soon
     * as the WAL has accepted the save, so that appends behind it queue and share its writer's
     * next fdatasync while this one is written (on this thread, when the WAL was idle).
     */
    private long appendAndWait(List<byte[]> records, long expectedLastIndex) {
        appendLock.lock();
        try {
            List<Entry> entries = entriesAfterLast(records, expectedLastIndex);
            long end = entries.get(entries.size() - 1).index();
            wal.save(commitThrough(end), entries, appendLock::unlock);
            acknowledge(end);
            return entries.get(0).index();
        } finally {
            if (appendLock.isHeldByCurrentThread()) {
                appendLock.unlock();
            }
        }
    }

    /** The records as entries after the last index; under the append lock. */
    private List<Entry> entriesAfterLast(List<byte[]> records, long expectedLastIndex) {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("nothing to append: the list of records is empty");
        }
        long last = wal.lastIndex();
        if (expectedLastIndex >= 0 && last != expectedLastIndex) {
            throw new AppendConflictException(expectedLastIndex, last);
        }
        List<Entry> entries = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            entries.add(Entry.normal(TERM, last + 1 + i, Objects.requireNonNull(records.get(i), "record")));
        }
        return entries;
    }

    /**
     * The commit index is the append's last record: recovery and etcd's tools then read every
     * record as committed, and a compaction marker at or below it is valid.
     */
    private static HardState commitThrough(long end) {
        return new HardState(TERM, 0, end);
    }

    private void acknowledge(long end) {
        acknowledged.accumulateAndGet(end, Math::max);
        for (LogSubscription subscription : subscriptions) {
            subscription.acknowledged();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /**
     * The acknowledged records from {@code fromIndex} on, in order, read from the files a batch at
     * a time (bounded memory whatever the log's size). The cursor sees records acknowledged while
     * it reads: {@code hasNext()} is false once it has reached the last acknowledged one, and may be
     * true again after more appends.
     *
     * @throws RecordCompactedException when {@code fromIndex} is at or below the compaction point
     */
    public LogCursor read(long fromIndex) {
        if (fromIndex < 1) {
            throw new IllegalArgumentException("indexes start at 1, asked for " + fromIndex);
        }
        long compacted = compactedThrough;
        if (fromIndex <= compacted) {
            throw new RecordCompactedException(fromIndex, compacted);
        }
        return new LogCursor(this, fromIndex);
    }

    /**
     * Hands every acknowledged record from {@code fromIndex} on to {@code follower}, in order and
     * exactly once each, on a thread of the subscription's own; then each new record once it is
     * acknowledged, telling the follower each time it has caught up. A slow follower falls behind
     * and reads from the files; appends never wait for it. It ends when cancelled, when the log
     * closes, when the follower throws, or when a compaction removes records it has not read
     * ({@link RecordCompactedException}, given to {@link LogFollower#ended}).
     *
     * @throws RecordCompactedException when {@code fromIndex} is at or below the compaction point
     */
    public LogSubscription follow(long fromIndex, LogFollower follower) {
        return follow(fromIndex, "follower-" + (subscriptionsStarted.get() + 1), follower);
    }

    /**
     * {@link #follow(long, LogFollower)} under a name, which its thread and, in the Spring Boot
     * starter, its lag gauge carry.
     */
    public LogSubscription follow(long fromIndex, String name, LogFollower follower) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(follower, "follower");
        if (closed) {
            throw new dev.jwal.core.WalClosedException();
        }
        read(fromIndex);
        subscriptionsStarted.incrementAndGet();
        LogSubscription subscription = new LogSubscription(this, fromIndex, follower, name);
        subscriptions.add(subscription);
        for (LogSubscriptionListener listener : subscriptionListeners) {
            listener.started(subscription);
        }
        subscription.start();
        return subscription;
    }

    /**
     * Tells {@code listener} of every subscription started from now on, and of its end. Called on
     * the thread that calls {@code follow} and on the subscription's own thread; it must not block.
     */
    public void addSubscriptionListener(LogSubscriptionListener listener) {
        subscriptionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The subscriptions delivering now. */
    public List<LogSubscription> subscriptions() {
        return List.copyOf(subscriptions);
    }

    void unsubscribe(LogSubscription subscription) {
        if (subscriptions.remove(subscription)) {
            for (LogSubscriptionListener listener : subscriptionListeners) {
                listener.ended(subscription);
            }
        }
    }

    /** A batch of records for a cursor: {@code [from, to)}, within what was acknowledged. */
    List<Entry> entries(long from, long to) {
        try {
            return wal.entries(from, to);
        } catch (dev.jwal.core.IndexOutOfRangeException e) {
            long compacted = compactedThrough;
            if (from <= compacted) {
                throw new RecordCompactedException(from, compacted);
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Compacting

    /**
     * The application holds every record up to {@code upToIndex} in its own snapshot: records a
     * compaction point there (a snapshot marker, synced as the policy syncs), lets go of the
     * segments before it and deletes released ones beyond the count kept. A later
     * {@link #open} starts at the newest compaction point. Returns the segment files deleted.
     *
     * @throws IllegalArgumentException when {@code upToIndex} is past the last acknowledged record
     */
    public List<Path> compact(long upToIndex) {
        compactLock.lock();
        try {
            long last = acknowledged.get();
            if (upToIndex > last) {
                throw new IllegalArgumentException("cannot compact through " + upToIndex
                        + ": the last acknowledged record is " + last);
            }
            if (upToIndex <= compactedThrough) {
                return List.of();
            }
            wal.saveSnapshot(WalSnapshot.of(upToIndex, TERM));
            compactedThrough = upToIndex;
            wal.releaseLockTo(upToIndex);
            return wal.purge(keepSegments);
        } finally {
            compactLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // State

    /** The first index a read may start at: one after the compaction point. */
    public long firstIndex() {
        return compactedThrough + 1;
    }

    /** The index of the last acknowledged record; 0 for an empty log. */
    public long lastIndex() {
        return acknowledged.get();
    }

    /** The last index the newest compaction covers; 0 before the first. */
    public long compactedThrough() {
        return compactedThrough;
    }

    /**
     * Makes every acknowledged append durable: a no-op under {@code ALWAYS} and {@code GROUP},
     * where each append is durable when acknowledged; under {@code INTERVAL} and {@code NONE}
     * one fdatasync, as a service does before it stops.
     */
    public void sync() {
        wal.sync();
    }

    /** Whether {@code metadata} (a WAL's, as {@code jwal inspect} or a replay shows it) marks an application log. */
    public static boolean isApplicationLogMetadata(byte[] metadata) {
        return Arrays.equals(metadata, METADATA);
    }

    /** Whether the log is closed. */
    public boolean isClosed() {
        return closed;
    }

    /** The directory of the WAL underneath. */
    public Path directory() {
        return wal.directory();
    }

    /** The background check of the sealed segments: {@link Wal#scrub()}. */
    public dev.jwal.core.WalScrub scrub() {
        return wal.scrub();
    }

    /** The WAL's state, published lock-free: segments, last fsync, poison cause. */
    public WalStatus status() {
        return wal.status();
    }

    /**
     * Ends every subscription (their followers are told), waits for appends already submitted,
     * syncs and closes; closing again is a no-op.
     */
    @Override
    public void close() {
        closed = true;
        for (LogSubscription subscription : subscriptions) {
            subscription.cancelAndJoin();
        }
        wal.close();
    }
}

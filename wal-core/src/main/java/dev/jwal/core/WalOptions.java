package dev.jwal.core;

import dev.jwal.core.io.Disk;
import dev.jwal.core.io.RealDisk;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Wal} writes. Defaults are etcd's: 64,000,000-byte segments, fdatasync as raft
 * requires, records up to 10 MiB, a warning for syncs over one second.
 *
 * <br>{@code segmentSize}: the size a segment is preallocated to and cut at, in bytes
 * <br>{@code syncPolicy}: when to fdatasync
 * <br>{@code maxRecordSize}: the largest record (frame without its length field) that may be written
 *     (10 MiB by default, which every etcd version reads); it may be raised up to the segment size,
 *     which etcd reads from 3.5.5 on; under {@link FrameRule#ETCD_3_4} it bounds reads too
 * <br>{@code frameRule}: how large a frame a reader accepts: bounded by the bytes left in its file,
 *     as etcd ≥ 3.5.5 (the default), or by {@code maxRecordSize}, as etcd 3.4 ({@link FrameRule})
 * <br>{@code syncInterval}: how often {@link SyncPolicy#INTERVAL} syncs; ignored by the other policies
 * <br>{@code groupWait}: how long a {@link SyncPolicy#GROUP} sync waits for more saves to join before
 *     it writes and syncs; zero (the default) syncs at once, so a lone writer waits for nothing
 *     (BookKeeper's {@code journalMaxGroupWaitMSec})
 * <br>{@code groupMaxBytes}: a {@link SyncPolicy#GROUP} sync waiting for saves to join stops waiting
 *     once this many bytes are buffered (BookKeeper's {@code journalBufferedWritesThreshold})
 * <br>{@code slowSyncThreshold}: syncs slower than this are logged as warnings and reported to the
 *     listener
 * <br>{@code preallocate}: whether new segments are preallocated to their full size; {@code false}
 *     extends them sparsely. Under {@link SyncPolicy#ALWAYS} and {@link SyncPolicy#GROUP} by
 *     writing zeros, so that later fdatasyncs have no block allocations to persist; under
 *     {@link SyncPolicy#NONE} and {@link SyncPolicy#INTERVAL}, which do not wait for fdatasyncs, by
 *     reserving the blocks with Linux's {@code fallocate(2)}, as etcd does, so that each byte is
 *     written once: on Java 22 and later with native access enabled
 *     ({@code --enable-native-access=ALL-UNNAMED}, or {@code dev.jwal.core} on the module path);
 *     elsewhere, and on file systems without it, by writing zeros. Either way the segment's bytes
 *     are the same
 * <br>{@code spinWait}: whether a waiting caller, and the log writer between requests, busy-wait a
 *     moment before they park (at most one spinning caller per spare CPU, and none while other
 *     callers are parked); true by default, which
 *     spares a lone writer two thread wake-ups per save. Turn it off where the WAL's process shares
 *     few CPUs with other busy processes or WALs: a spinning thread then takes the CPU the others
 *     need (three raft nodes on one two-CPU machine commit several times slower with it on)
 * <br>{@code callerWrites}: whether a save that finds nothing queued ahead of it and the log
 *     writer idle is written, and fdatasynced when the policy asks, on the saving thread itself
 *     instead of being handed to the log writer and waited for; true by default. The hand-off
 *     costs two thread wake-ups, which a busy machine grants late (a save's latency then follows
 *     the scheduler, not the disk); saves that arrive while one is written still queue and share
 *     the next fdatasync. Either way every write runs on a channel no interrupt can close, and
 *     the order, the bytes and every durability guarantee are the same. Asynchronous saves are
 *     always handed off, and so is every save under {@link SyncPolicy#GROUP} with a group wait
 * <br>{@code listener}: observes syncs, writes, cuts and failures; called on whichever thread wrote
 *     (the WAL's log writer, or a saving caller), one at a time, so each call must be quick (a
 *     meter, a counter), and one that throws is logged and ignored
 * <br>{@code saveObserver}: observes each save on the caller's side, from submission to durability
 *     ({@link SaveObserver}: a tracing span); none by default
 * <br>{@code examineReadRate}: the most bytes per second that {@link WalDirectory#examine}, {@link WalDirectory#verifyOrThrow}
 *     and the inspector read from the disk, so that a check beside a live writer cannot take the
 *     disk's bandwidth from its appends; 0 (the default) for no limit. Opening, replay and reads
 *     by index are never paced
 *
 * <br>{@code scrubReadRate}: the most bytes per second that the background check of sealed
 *     segments ({@link WalScrub}) reads, so that it never takes the disk from appends and reads;
 *     {@value #DEFAULT_SCRUB_READ_RATE} (32 MiB/s) by default, 0 for no limit
 *
 * <br>{@code disk}: the file operations underneath, {@link RealDisk#INSTANCE} by default. The
 *     {@link Disk} service-provider interface is how tests put a simulated disk, injected faults or
 *     a full device under a WAL ({@link dev.jwal.core.io.ForwardingDisk} changes one operation and
 *     passes on the rest); production code has no reason to set it
 */
public final class WalOptions {

    private final long segmentSize;
    private final SyncPolicy syncPolicy;
    private final Duration syncInterval;
    private final Duration groupWait;
    private final long groupMaxBytes;
    private final int maxRecordSize;
    private final FrameRule frameRule;
    private final Duration slowSyncThreshold;
    private final boolean preallocate;
    private final boolean spinWait;
    private final boolean callerWrites;
    private final WalListener listener;
    private final SaveObserver saveObserver;
    private final long examineReadRate;
    private final long scrubReadRate;

    /** The background check's default pace: a 64 MB segment in two seconds, 100 GB in under an hour. */
    public static final long DEFAULT_SCRUB_READ_RATE = 32L << 20;
    private final Disk disk;

    /** etcd's {@code SegmentSizeBytes}: 64 MB. */
    public static final long DEFAULT_SEGMENT_SIZE = 64L * 1000 * 1000;

    /** etcd 3.4's frame limit: 10 MiB. */
    public static final int DEFAULT_MAX_RECORD_SIZE = 10 * 1024 * 1024;

    /** {@link SyncPolicy#INTERVAL}'s default: once a second, as Redis' {@code everysec}. */
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);

    /** {@link SyncPolicy#GROUP}'s default byte limit of a batch: 512 KiB, as BookKeeper's. */
    public static final long DEFAULT_GROUP_MAX_BYTES = 512 * 1024;

    /** etcd's {@code warnSyncDuration}: one second. */
    public static final Duration DEFAULT_SLOW_SYNC_THRESHOLD = Duration.ofSeconds(1);

    /**
     * Any positive multiple of 8 is a valid segment size, as in etcd: a segment is cut after the
     * save that filled it, however small. A multiple of 8, because frames are 8-byte aligned and
     * the preallocated tail must end on a whole (zero) length field.
     */
    WalOptions(long segmentSize, SyncPolicy syncPolicy, Duration syncInterval, Duration groupWait,
            long groupMaxBytes, int maxRecordSize, FrameRule frameRule, Duration slowSyncThreshold,
            boolean preallocate, boolean spinWait, boolean callerWrites, WalListener listener, SaveObserver saveObserver, long examineReadRate,
            long scrubReadRate, Disk disk) {
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        Objects.requireNonNull(frameRule, "frameRule");
        Objects.requireNonNull(syncInterval, "syncInterval");
        Objects.requireNonNull(slowSyncThreshold, "slowSyncThreshold");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(disk, "disk");
        if (segmentSize <= 0 || segmentSize % 8 != 0) {
            throw new IllegalArgumentException("segmentSize must be a positive multiple of 8 bytes, was "
                    + segmentSize);
        }
        if (maxRecordSize < 64) {
            throw new IllegalArgumentException("maxRecordSize must be at least 64 bytes, was " + maxRecordSize);
        }
        if (syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("syncInterval must be positive, was " + syncInterval);
        }
        Objects.requireNonNull(groupWait, "groupWait");
        if (groupWait.isNegative()) {
            throw new IllegalArgumentException("groupWait must not be negative, was " + groupWait);
        }
        if (groupMaxBytes <= 0) {
            throw new IllegalArgumentException("groupMaxBytes must be positive, was " + groupMaxBytes);
        }
        if (slowSyncThreshold.isNegative()) {
            throw new IllegalArgumentException("slowSyncThreshold must not be negative, was " + slowSyncThreshold);
        }
        this.segmentSize = segmentSize;
        this.syncPolicy = syncPolicy;
        this.syncInterval = syncInterval;
        this.groupWait = groupWait;
        this.groupMaxBytes = groupMaxBytes;
        this.maxRecordSize = maxRecordSize;
        this.frameRule = frameRule;
        this.slowSyncThreshold = slowSyncThreshold;
        this.preallocate = preallocate;
        this.spinWait = spinWait;
        this.callerWrites = callerWrites;
        this.listener = listener;
        if (examineReadRate < 0) {
            throw new IllegalArgumentException("examineReadRate must not be negative, was " + examineReadRate);
        }
        this.saveObserver = saveObserver;
        this.examineReadRate = examineReadRate;
        if (scrubReadRate < 0) {
            throw new IllegalArgumentException("scrubReadRate must not be negative, was " + scrubReadRate);
        }
        this.scrubReadRate = scrubReadRate;
        this.disk = disk;
    }

    /** The size a segment is preallocated to and cut at, in bytes. */
    public long segmentSize() {
        return segmentSize;
    }

    /** When to fdatasync. */
    public SyncPolicy syncPolicy() {
        return syncPolicy;
    }

    /** How often {@link SyncPolicy#INTERVAL} syncs. */
    public Duration syncInterval() {
        return syncInterval;
    }

    /** How long a {@link SyncPolicy#GROUP} sync waits for more saves to join. */
    public Duration groupWait() {
        return groupWait;
    }

    /** The bytes at which a waiting {@link SyncPolicy#GROUP} sync stops waiting. */
    public long groupMaxBytes() {
        return groupMaxBytes;
    }

    /** The largest record that may be written or read. */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /** Bytes per second that examinations read at most; 0 for no limit. */
    public long examineReadRate() {
        return examineReadRate;
    }

    /** Bytes per second that the background check of sealed segments reads at most; 0 for no limit. */
    public long scrubReadRate() {
        return scrubReadRate;
    }

    /** How large a frame a reader accepts. */
    public FrameRule frameRule() {
        return frameRule;
    }

    /**
     * The largest record a reader accepts before looking at the file: the record limit under
     * {@link FrameRule#ETCD_3_4}, else no limit but the file's size.
     */
    public long readLimit() {
        return frameRule == FrameRule.ETCD_3_4 ? maxRecordSize : Long.MAX_VALUE;
    }

    /** Syncs slower than this are logged and reported to the listener. */
    public Duration slowSyncThreshold() {
        return slowSyncThreshold;
    }

    /** Whether new segments are preallocated to their full size (how: see the class). */
    public boolean preallocate() {
        return preallocate;
    }

    /** Whether waiting callers and the log writer busy-wait a moment before they park. */
    public boolean spinWait() {
        return spinWait;
    }

    /** Whether a save that finds the log writer idle is written on the saving thread (see the class). */
    public boolean callerWrites() {
        return callerWrites;
    }

    /** What observes syncs, writes, cuts and failures. */
    public WalListener listener() {
        return listener;
    }

    /** What observes each save from the caller's side, if anything does. */
    public Optional<SaveObserver> saveObserver() {
        return Optional.ofNullable(saveObserver);
    }

    /** The file operations: the real disk unless another was set. */
    public Disk disk() {
        return disk;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WalOptions o && segmentSize == o.segmentSize && syncPolicy == o.syncPolicy
                && syncInterval.equals(o.syncInterval) && groupWait.equals(o.groupWait)
                && groupMaxBytes == o.groupMaxBytes && maxRecordSize == o.maxRecordSize && frameRule == o.frameRule
                && slowSyncThreshold.equals(o.slowSyncThreshold) && preallocate == o.preallocate && spinWait == o.spinWait
                && callerWrites == o.callerWrites && examineReadRate == o.examineReadRate
                && scrubReadRate == o.scrubReadRate
                && listener.equals(o.listener) && Objects.equals(saveObserver, o.saveObserver) && disk.equals(o.disk);
    }

    @Override
    public int hashCode() {
        return Objects.hash(segmentSize, syncPolicy, syncInterval, groupWait, groupMaxBytes, maxRecordSize, frameRule,
                slowSyncThreshold, preallocate, spinWait, callerWrites, examineReadRate, scrubReadRate, listener, saveObserver,
                disk);
    }

    @Override
    public String toString() {
        return "WalOptions[segmentSize=" + segmentSize + ", syncPolicy=" + syncPolicy + ", syncInterval="
                + syncInterval + ", groupWait=" + groupWait + ", groupMaxBytes=" + groupMaxBytes + ", maxRecordSize="
                + maxRecordSize + ", frameRule=" + frameRule + ", slowSyncThreshold=" + slowSyncThreshold
                + ", preallocate=" + preallocate + ", spinWait=" + spinWait + ", callerWrites=" + callerWrites
                + ", listener=" + listener + ", saveObserver=" + saveObserver + ", examineReadRate=" + examineReadRate
                + ", scrubReadRate=" + scrubReadRate + "]";
    }

    /** The defaults. */
    public static WalOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().segmentSize(segmentSize).syncPolicy(syncPolicy).syncInterval(syncInterval)
                .groupWait(groupWait).groupMaxBytes(groupMaxBytes).maxRecordSize(maxRecordSize).frameRule(frameRule)
                .slowSyncThreshold(slowSyncThreshold).preallocate(preallocate).spinWait(spinWait).callerWrites(callerWrites).listener(listener)
                .saveObserver(saveObserver).examineReadRate(examineReadRate).scrubReadRate(scrubReadRate).disk(disk);
    }

    /** Builds {@link WalOptions}; every setting starts at its default. */
    public static final class Builder {

        private long segmentSize = DEFAULT_SEGMENT_SIZE;
        private SyncPolicy syncPolicy = SyncPolicy.ALWAYS;
        private Duration syncInterval = DEFAULT_SYNC_INTERVAL;
        private Duration groupWait = Duration.ZERO;
        private long groupMaxBytes = DEFAULT_GROUP_MAX_BYTES;
        private int maxRecordSize = DEFAULT_MAX_RECORD_SIZE;
        private FrameRule frameRule = FrameRule.BYTES_LEFT_IN_FILE;
        private Duration slowSyncThreshold = DEFAULT_SLOW_SYNC_THRESHOLD;
        private boolean preallocate = true;
        private boolean spinWait = true;
        private boolean callerWrites = true;
        private WalListener listener = WalListener.NONE;
        private SaveObserver saveObserver;
        private long examineReadRate;
        private long scrubReadRate = DEFAULT_SCRUB_READ_RATE;
        private Disk disk = RealDisk.INSTANCE;

        private Builder() {
        }

        public Builder segmentSize(long bytes) {
            this.segmentSize = bytes;
            return this;
        }

        public Builder syncPolicy(SyncPolicy policy) {
            this.syncPolicy = policy;
            return this;
        }

        public Builder syncInterval(Duration interval) {
            this.syncInterval = interval;
            return this;
        }

        public Builder groupWait(Duration wait) {
            this.groupWait = wait;
            return this;
        }

        public Builder groupMaxBytes(long bytes) {
            this.groupMaxBytes = bytes;
            return this;
        }

        public Builder maxRecordSize(int bytes) {
            this.maxRecordSize = bytes;
            return this;
        }

        /** How large a frame a reader accepts; see {@link FrameRule}. */
        public Builder frameRule(FrameRule rule) {
            this.frameRule = rule;
            return this;
        }

        public Builder slowSyncThreshold(Duration threshold) {
            this.slowSyncThreshold = threshold;
            return this;
        }

        public Builder preallocate(boolean preallocate) {
            this.preallocate = preallocate;
            return this;
        }

        /** Whether waiting callers and the log writer busy-wait a moment before they park; true by default. */
        public Builder spinWait(boolean spinWait) {
            this.spinWait = spinWait;
            return this;
        }

        /**
         * Whether a save that finds the log writer idle is written on the saving thread; true by
         * default (see {@link WalOptions}).
         */
        public Builder callerWrites(boolean callerWrites) {
            this.callerWrites = callerWrites;
            return this;
        }

        public Builder listener(WalListener listener) {
            this.listener = listener;
            return this;
        }

        /** What observes each save from the caller's side; null (the default) for nothing. */
        public Builder saveObserver(SaveObserver observer) {
            this.saveObserver = observer;
            return this;
        }

        /** Bytes per second that examinations read at most; 0 (the default) for no limit. */
        public Builder examineReadRate(long bytesPerSecond) {
            this.examineReadRate = bytesPerSecond;
            return this;
        }

        /** Bytes per second that the background check of sealed segments reads at most; 0 for no limit. */
        public Builder scrubReadRate(long bytesPerSecond) {
            this.scrubReadRate = bytesPerSecond;
            return this;
        }

        /**
         * The file operations every read, write and sync goes through; {@link RealDisk#INSTANCE}
         * by default. For tests that simulate a disk or inject faults (see {@link Disk}).
         */
        public Builder disk(Disk disk) {
            this.disk = Objects.requireNonNull(disk, "disk");
            return this;
        }

        public WalOptions build() {
            return new WalOptions(segmentSize, syncPolicy, syncInterval, groupWait, groupMaxBytes, maxRecordSize,
                    frameRule, slowSyncThreshold, preallocate, spinWait, callerWrites, listener, saveObserver, examineReadRate,
                    scrubReadRate, disk);
        }
    }
}

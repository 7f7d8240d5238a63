package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.FrameRule;
import dev.jwal.core.SyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the auto-configured {@link dev.jwal.core.Wal}: where it lives, how it writes and
 * syncs, and what it reports.
 */
@ConfigurationProperties("wal")
public class WalProperties {

    /**
     * Whether to auto-configure a WAL.
     */
    private boolean enabled = true;

    /**
     * Which API the directory is written through: 'raft' (a Wal bean: entries, hard states and
     * snapshot markers, for raft nodes) or 'log' (a WalLog bean: append, read, follow and compact
     * byte records, for event stores, job queues and audit trails). A directory holds one API's
     * WAL: startup refuses a directory the other API wrote.
     */
    private WalApi api = WalApi.RAFT;

    /**
     * Directory of the WAL's segment files. Created, with a first segment, when it holds no WAL;
     * opened and replayed when it does. Required.
     */
    private Path directory;

    /**
     * Name of this WAL in meters (tag 'name'), health details and the endpoint.
     */
    private String name = "wal";

    /**
     * Size at which a segment is cut and to which new segments are preallocated. The default is
     * etcd's 64,000,000 bytes; note that a value written as '64MB' means 64 MiB (67,108,864 bytes).
     * Must be a multiple of 8 bytes.
     */
    private DataSize segmentSize = DataSize.ofBytes(64_000_000);

    /**
     * When to fdatasync: 'always' (before every save returns, as etcd), 'group' (as 'always', but
     * concurrent saves share fdatasyncs: group commit), 'interval' (in the background every
     * 'wal.sync-interval'; a power loss may lose the last interval), or 'none' (only on segment
     * cuts and close; for tests and bulk loads).
     */
    private SyncPolicy syncPolicy = SyncPolicy.ALWAYS;

    /**
     * How often the 'interval' sync policy syncs what was written since the last sync. The longest
     * a saved record may stay only in the page cache.
     */
    private Duration syncInterval = Duration.ofSeconds(1);

    /**
     * With the 'group' sync policy: how long a group commit waits for more saves to join before
     * it writes and syncs. 0 syncs at once, so that a lone writer waits for nothing; a few
     * hundred microseconds can gather larger batches when many threads save.
     */
    private Duration groupWait = Duration.ZERO;

    /**
     * With the 'group' sync policy and a 'wal.group-wait': a group commit stops waiting once
     * this much is buffered.
     */
    private DataSize groupMaxBytes = DataSize.ofKilobytes(512);

    /**
     * Whether new segments are preallocated to their full size. Under the 'always' and 'group'
     * sync policies by writing zeros, so that fdatasync has no block allocation to persist; under
     * 'none' and 'interval' by reserving blocks with fallocate, as etcd does (Linux, Java 22 or
     * later with --enable-native-access=ALL-UNNAMED; zeros elsewhere). When false, segments are
     * extended sparsely.
     */
    private boolean preallocate = true;

    /**
     * Whether a save that finds nothing queued and the WAL idle is written, and fdatasynced when the
     * policy asks, on the saving thread itself rather than handed to the WAL's log-writer thread and
     * waited for. Saves arriving meanwhile still queue and share one fdatasync. Off, every save
     * pays two thread wake-ups, which a busy machine grants late.
     */
    private boolean callerWrites = true;

    /**
     * Whether a caller waiting for its save, and the log writer waiting for work, busy-wait a
     * moment before parking. It spares a lone writer two thread wake-ups per handed-off save; turn
     * it off where the process shares few CPUs with other busy processes, where a spinning thread
     * takes the CPU the others need.
     */
    private boolean spinWait = true;

    /**
     * How large a frame a reader accepts: 'bytes-left-in-file' (etcd 3.5.5 and later: bounded by
     * the segment) or 'etcd-3-4' (a frame of wal.max-record-size or more is corrupt, as etcd 3.4
     * reads it), for those who must match 3.4's verdicts exactly.
     */
    private FrameRule frameRule = FrameRule.BYTES_LEFT_IN_FILE;

    /**
     * Largest record that may be written. The default, 10 MiB, is what every etcd version reads;
     * up to the segment size, etcd reads it from 3.5.5 on (3.4 refuses records of 10 MiB or more).
     * Reads are bounded by the bytes left in each segment, as etcd 3.5.5 and later.
     */
    private DataSize maxRecordSize = DataSize.ofMegabytes(10);

    /**
     * fdatasyncs slower than this are logged as warnings and counted in 'wal.fsync.slow'.
     */
    private Duration slowSyncThreshold = Duration.ofSeconds(1);

    /**
     * The most bytes per second the background check of sealed segments reads (the scrub, which
     * health, the 'wal.scrub.*' meters and the 'wal' endpoint report): an open that the checkpoint
     * spared from reading them leaves their check to it. 0 for no limit.
     */
    private DataSize scrubReadRate = DataSize.ofMegabytes(32);

    /**
     * Metadata written at the head of every segment when the WAL is created (UTF-8), such as a node
     * and cluster id. When set and the WAL already exists, startup fails if the WAL holds other
     * metadata: the directory belongs to another node.
     */
    private String metadata;

    /**
     * Whether startup cuts off a torn last record (the write a crash interrupted, with nothing
     * readable after it) and opens the repaired WAL, as an etcd server does. The damaged segment
     * is first copied to '<segment>.broken', and health shows what was cut. Corruption is never
     * repaired, and neither is damage with intact records after it, which etcd would cut: startup
     * fails naming it ('jwal repair --discard-readable' cuts it knowingly).
     */
    private boolean repairTornTail = true;

    private final Health health = new Health();

    private final LogSettings log = new LogSettings();

    /**
     * Replication through jgroups-raft.
     */
    private final RaftSettings raft = new RaftSettings();

    private final EndpointSettings endpoint = new EndpointSettings();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Path getDirectory() {
        return directory;
    }

    public void setDirectory(Path directory) {
        this.directory = directory;
    }

    /**
     * The directory, which every WAL needs.
     *
     * @throws InvalidConfigurationPropertyValueException naming {@code wal.directory} when it is not set
     */
    public Path requireDirectory() {
        if (directory == null) {
            throw new InvalidConfigurationPropertyValueException("wal.directory", null,
                    "The WAL needs a directory: set wal.directory to where its segment files live (or"
                            + " wal.enabled=false to run without one)");
        }
        return directory;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public DataSize getSegmentSize() {
        return segmentSize;
    }

    public void setSegmentSize(DataSize segmentSize) {
        this.segmentSize = segmentSize;
    }

    public SyncPolicy getSyncPolicy() {
        return syncPolicy;
    }

    public void setSyncPolicy(SyncPolicy syncPolicy) {
        this.syncPolicy = syncPolicy;
    }

    public Duration getSyncInterval() {
        return syncInterval;
    }

    public void setSyncInterval(Duration syncInterval) {
        this.syncInterval = syncInterval;
    }

    public Duration getGroupWait() {
        return groupWait;
    }

    public void setGroupWait(Duration groupWait) {
        this.groupWait = groupWait;
    }

    public DataSize getGroupMaxBytes() {
        return groupMaxBytes;
    }

    public void setGroupMaxBytes(DataSize groupMaxBytes) {
        this.groupMaxBytes = groupMaxBytes;
    }

    public boolean isPreallocate() {
        return preallocate;
    }

    public void setPreallocate(boolean preallocate) {
        this.preallocate = preallocate;
    }

    public boolean isCallerWrites() {
        return callerWrites;
    }

    public void setCallerWrites(boolean callerWrites) {
        this.callerWrites = callerWrites;
    }

    public boolean isSpinWait() {
        return spinWait;
    }

    public void setSpinWait(boolean spinWait) {
        this.spinWait = spinWait;
    }

    public FrameRule getFrameRule() {
        return frameRule;
    }

    public void setFrameRule(FrameRule frameRule) {
        this.frameRule = frameRule;
    }

    public DataSize getMaxRecordSize() {
        return maxRecordSize;
    }

    public void setMaxRecordSize(DataSize maxRecordSize) {
        this.maxRecordSize = maxRecordSize;
    }

    public DataSize getScrubReadRate() {
        return scrubReadRate;
    }

    public void setScrubReadRate(DataSize scrubReadRate) {
        this.scrubReadRate = scrubReadRate;
    }

    public Duration getSlowSyncThreshold() {
        return slowSyncThreshold;
    }

    public void setSlowSyncThreshold(Duration slowSyncThreshold) {
        this.slowSyncThreshold = slowSyncThreshold;
    }

    public String getMetadata() {
        return metadata;
    }

    public void setMetadata(String metadata) {
        this.metadata = metadata;
    }

    public boolean isRepairTornTail() {
        return repairTornTail;
    }

    public void setRepairTornTail(boolean repairTornTail) {
        this.repairTornTail = repairTornTail;
    }

    public WalApi getApi() {
        return api;
    }

    public void setApi(WalApi api) {
        this.api = api;
    }

    public RaftSettings getRaft() {
        return raft;
    }

    public LogSettings getLog() {
        return log;
    }

    public Health getHealth() {
        return health;
    }

    public EndpointSettings getEndpoint() {
        return endpoint;
    }

    /** The application log ({@code wal.api=log}). */
    public static class LogSettings {

        /**
         * Released segments a compaction keeps on disk (etcd's --max-wals): older ones are
         * deleted. At least 1.
         */
        private int keepSegments = 5;

        public int getKeepSegments() {
            return keepSegments;
        }

        public void setKeepSegments(int keepSegments) {
            this.keepSegments = keepSegments;
        }
    }

    /**
     * Replication through jgroups-raft ({@code wal.raft.*}): jwal's WAL as the log of a RAFT
     * protocol on a JGroups TCP channel, and a {@code RaftHandle} bean over the application's
     * {@code org.jgroups.raft.StateMachine}. Needs {@code dev.jwal:wal-jgroups-raft} on the class path.
     */
    public static class RaftSettings {

        /**
         * Whether this node replicates through jgroups-raft: 'wal.directory' then holds the raft
         * log (its WAL in a 'wal' folder, a member table and RAFT's snapshot beside it) and no Wal
         * or WalLog bean is made. Needs an org.jgroups.raft.StateMachine bean and wal.api=raft.
         */
        private boolean enabled;

        /** This node's raft id: one of the names in 'wal.raft.members'. Required when enabled. */
        private String nodeName;

        /**
         * Every member of the cluster by raft id, each with the host:port its JGroups TCP
         * transport listens on, e.g. 'wal.raft.members.A=10.0.0.1:7800'. The same on every
         * node; an odd number (3 or 5) keeps a majority through one (or two) failures.
         */
        private Map<String, String> members = new LinkedHashMap<>();

        /**
         * Address the node's transport binds to; by default the host of this node's entry in
         * 'wal.raft.members'.
         */
        private String bindAddress;

        /** Port the node's transport listens on; by default the port of this node's entry in 'wal.raft.members'. */
        private Integer port;

        /** Name of the JGroups cluster the members join; the same on every node. */
        private String clusterName = "jwal-raft";

        /** Port of jgroups-raft's CLIENT protocol, for its command-line client; 0 (the default) leaves it out. */
        private int clientPort;

        /**
         * Log size after which RAFT snapshots the state machine and truncates the log (its
         * max_log_size).
         */
        private DataSize maxLogSize = DataSize.ofMegabytes(1);

        /**
         * Whether the leader tells its followers that an entry is committed as soon as it is,
         * rather than with the next append or resend (RAFT's send_commits_immediately). With it,
         * followers apply, and serve to reads, a write within a round trip of its acknowledgement
         * instead of up to a resend interval (a second) later: FollowerCommitDelay measured a p50
         * of 0.37-0.54 ms against 1,002 ms at 20 writes a second. Off by default: under a
         * closed-loop load of several writers, one commit message per commit flooded a follower's
         * JGroups queue until its 256 MB heap ran out (the sample's ClusterCrashIT).
         */
        private boolean sendCommitsImmediately;

        /**
         * Whether waiting raft threads busy-wait a moment before they park (wal-core's spinWait).
         * Off by default: a raft node shares its CPUs with JGroups' threads, and three nodes on
         * one two-CPU machine committed 3 to 4 times slower with it on. Turn it on for a node
         * with CPUs to spare.
         */
        private boolean spinWait;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getNodeName() {
            return nodeName;
        }

        public void setNodeName(String nodeName) {
            this.nodeName = nodeName;
        }

        public Map<String, String> getMembers() {
            return members;
        }

        public void setMembers(Map<String, String> members) {
            this.members = members;
        }

        public String getBindAddress() {
            return bindAddress;
        }

        public void setBindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
        }

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public String getClusterName() {
            return clusterName;
        }

        public void setClusterName(String clusterName) {
            this.clusterName = clusterName;
        }

        public int getClientPort() {
            return clientPort;
        }

        public void setClientPort(int clientPort) {
            this.clientPort = clientPort;
        }

        public boolean isSendCommitsImmediately() {
            return sendCommitsImmediately;
        }

        public void setSendCommitsImmediately(boolean sendCommitsImmediately) {
            this.sendCommitsImmediately = sendCommitsImmediately;
        }

        public DataSize getMaxLogSize() {
            return maxLogSize;
        }

        public void setMaxLogSize(DataSize maxLogSize) {
            this.maxLogSize = maxLogSize;
        }

        public boolean isSpinWait() {
            return spinWait;
        }

        public void setSpinWait(boolean spinWait) {
            this.spinWait = spinWait;
        }
    }

    /** The {@code wal} Actuator endpoint. */
    public static class EndpointSettings {

        /**
         * The most bytes per second a verify through the endpoint reads from the disk, so that it
         * cannot take the disk's bandwidth from the appends it runs beside (Java has no I/O
         * priority to lower); 0 for no limit. At the default a 1 GB WAL verifies in about 16 s.
         */
        private DataSize verifyReadRate = DataSize.ofMegabytes(64);

        public DataSize getVerifyReadRate() {
            return verifyReadRate;
        }

        public void setVerifyReadRate(DataSize verifyReadRate) {
            this.verifyReadRate = verifyReadRate;
        }
    }

    /** The WAL's health indicator. */
    public static class Health {

        /**
         * Free space on the WAL's file system below which health is DOWN, so that the alarm comes
         * before a write fails for want of space. The default leaves room for two 64 MB segments:
         * the spare being preallocated and the next.
         */
        private DataSize freeSpaceThreshold = DataSize.ofMegabytes(128);

        public DataSize getFreeSpaceThreshold() {
            return freeSpaceThreshold;
        }

        public void setFreeSpaceThreshold(DataSize freeSpaceThreshold) {
            this.freeSpaceThreshold = freeSpaceThreshold;
        }
    }
}

package dev.jwal.benchmarks;

import dev.jwal.jgroups.raft.JwalRaftLog;
import dev.jwal.jgroups.raft.RaftChannels;
import java.io.DataInput;
import java.io.DataOutput;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.jgroups.JChannel;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;
import org.jgroups.util.Util;

/**
 * How long after the leader acknowledges a write its followers learn that it is committed (and so
 * apply it, and serve it to a read): three jwal nodes on TCP loopback, one client writing 100-byte
 * commands at a paced rate, the delay from each acknowledgement until both followers' commit index
 * reaches it, recorded with HdrHistogram. Run with jgroups-raft's default (commits travel with the
 * next append or resend) and with {@code send_commits_immediately}, in alternating rounds.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.jwal.benchmarks.FollowerCommitDelay DIR [ROUNDS] [WRITES_PER_SECOND] [SECONDS]</pre>
 */
public final class FollowerCommitDelay {

    private static final byte[] COMMAND = new byte[100];

    private FollowerCommitDelay() {
    }

    public static void main(String[] args) throws Exception {
        Path home = BenchDirectory.create(args[0], "jwal-follower-commits");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 20;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 10;
        try {
            for (int round = 1; round <= rounds; round++) {
                for (boolean immediately : new boolean[] {false, true}) {
                    Histogram delays = measure(home.resolve("r" + round + "-" + immediately), immediately,
                            7950 + 10 * (2 * round + (immediately ? 1 : 0)), rate, seconds);
                    System.out.printf(Locale.ROOT, "round %d, send_commits_immediately=%s: %d writes, follower"
                            + " commit delay p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", round, immediately,
                            delays.getTotalCount(), delays.getValueAtPercentile(50) / 1e6,
                            delays.getValueAtPercentile(99) / 1e6, delays.getMaxValue() / 1e6);
                }
            }
        } finally {
            // ELECTION leaves a non-daemon voting thread behind a closed channel.
            System.exit(0);
        }
    }

    private static Histogram measure(Path dir, boolean immediately, int basePort, double rate, double seconds)
            throws Exception {
        List<RaftHandle> cluster = startCluster(dir, immediately, basePort);
        try {
            RaftHandle leader = leaderOf(cluster);
            List<RaftHandle> followers = new ArrayList<>(cluster);
            followers.remove(leader);
            for (int i = 0; i < 50; i++) {
                leader.set(COMMAND, 0, COMMAND.length);
            }
            Histogram delays = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
            long interval = (long) (1e9 / rate);
            long next = System.nanoTime();
            long end = next + (long) (seconds * 1e9);
            while (next < end) {
                LockSupport.parkNanos(next - System.nanoTime());
                leader.set(COMMAND, 0, COMMAND.length);
                long acknowledged = System.nanoTime();
                long index = leader.raft().commitIndex();
                for (RaftHandle follower : followers) {
                    while (follower.raft().commitIndex() < index) {
                        LockSupport.parkNanos(20_000);
                    }
                }
                delays.recordValue(System.nanoTime() - acknowledged);
                next += interval;
            }
            return delays;
        } finally {
            for (RaftHandle handle : cluster) {
                Util.close(handle.channel());
            }
        }
    }

    private static RaftHandle leaderOf(List<RaftHandle> cluster) {
        while (true) {
            for (RaftHandle handle : cluster) {
                if (handle.isLeader()) {
                    return handle;
                }
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static List<RaftHandle> startCluster(Path dir, boolean immediately, int basePort) throws Exception {
        List<String> members = List.of("A", "B", "C");
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            peers.add(new InetSocketAddress("127.0.0.1", basePort + i));
        }
        List<RaftHandle> handles = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            RAFT raft = new RAFT().raftId(members.get(i)).members(members).logDir(dir.toString())
                    .logClass(JwalRaftLog.class.getName()).sendCommitsImmediately(immediately);
            JChannel channel = RaftChannels.tcp("jwal-" + members.get(i), peers.get(i), peers, raft, 0);
            RaftHandle handle = new RaftHandle(channel, new Discard());
            channel.connect("follower-commits-" + basePort);
            handles.add(handle);
        }
        return handles;
    }

    /** A state machine that keeps nothing: the figure is the protocol's. */
    private static final class Discard implements StateMachine {
        @Override
        public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
            return null;
        }

        @Override
        public void readContentFrom(DataInput in) {
        }

        @Override
        public void writeContentTo(DataOutput out) {
        }
    }
}

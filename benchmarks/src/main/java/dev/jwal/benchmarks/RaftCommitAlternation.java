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
import org.jgroups.JChannel;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;
import org.jgroups.util.Util;

/**
 * Commits per second of three-node jgroups-raft clusters on TCP loopback, one per log: jwal's,
 * jgroups-raft's {@code FileBasedLog} with {@code log_use_fsync=true} (the same durability) and
 * without (for reference). All three clusters run in this JVM at once and take the load in turn,
 * round after round, so that each ratio compares rounds a few seconds apart on the same disk.
 * {@code CLIENTS} threads each send 100-byte commands to the leader and wait for each commit.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.jwal.benchmarks.RaftCommitAlternation DIR CLIENTS [ROUNDS] [SECONDS]</pre>
 */
public final class RaftCommitAlternation {

    private static final String[] LOGS = {"jwal", "file-fsync", "file-nofsync"};
    private static final byte[] COMMAND = new byte[100];

    private RaftCommitAlternation() {
    }

    public static void main(String[] args) throws Exception {
        Path home = BenchDirectory.create(args[0], "jwal-raft-commits");
        int clients = Integer.parseInt(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 3;
        List<List<RaftHandle>> clusters = new ArrayList<>();
        for (int c = 0; c < LOGS.length; c++) {
            clusters.add(startCluster(home.resolve(LOGS[c]), LOGS[c], 7900 + 10 * c));
        }
        try {
            double[][] rates = new double[LOGS.length][rounds];
            // Warm-up, not reported: JIT, connections, and each new WAL preparing its spare segment.
            run(clusters, clients, 5.0, new double[LOGS.length][1], 0);
            for (int round = 0; round < rounds; round++) {
                run(clusters, clients, seconds, rates, round);
                System.out.printf(Locale.ROOT, "round %d: jwal %.0f, FileBasedLog fsync %.0f, no fsync %.0f commits/s%n",
                        round + 1, rates[0][round], rates[1][round], rates[2][round]);
            }
            double[] toFsync = new double[rounds];
            double[] toNoFsync = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                toFsync[round] = rates[0][round] / rates[1][round];
                toNoFsync[round] = rates[0][round] / rates[2][round];
            }
            System.out.printf(Locale.ROOT, "%d clients: jwal ÷ FileBasedLog with fsync %s; ÷ without fsync %s%n",
                    clients, RoundRatios.summary(toFsync), RoundRatios.summary(toNoFsync));
        } finally {
            for (List<RaftHandle> cluster : clusters) {
                for (RaftHandle handle : cluster) {
                    Util.close(handle.channel());
                }
            }
        }
        // ELECTION leaves a non-daemon voting thread behind a closed channel.
        System.exit(0);
    }

    private static void run(List<List<RaftHandle>> clusters, int clients, double seconds, double[][] rates, int round)
            throws Exception {
        for (int c = 0; c < clusters.size(); c++) {
            rates[c][round] = load(leaderOf(clusters.get(c)), clients, (long) (seconds * 1e9));
        }
    }

    private static RaftHandle leaderOf(List<RaftHandle> cluster) {
        while (true) {
            for (RaftHandle handle : cluster) {
                if (handle.isLeader()) {
                    return handle;
                }
            }
            Thread.onSpinWait();
        }
    }

    private static double load(RaftHandle leader, int clients, long nanos) throws Exception {
        return ClosedLoop.run(clients, nanos, () -> leader.setAsync(COMMAND, 0, COMMAND.length, null).get())
                .perSecond();
    }

    private static List<RaftHandle> startCluster(Path dir, String log, int basePort) throws Exception {
        List<String> members = List.of("A", "B", "C");
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            peers.add(new InetSocketAddress("127.0.0.1", basePort + i));
        }
        List<RaftHandle> handles = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            RAFT raft = new RAFT().raftId(members.get(i)).members(members).logDir(dir.toString())
                    .logClass(log.equals("jwal") ? JwalRaftLog.class.getName() : "org.jgroups.protocols.raft.FileBasedLog")
                    .logUseFsync(!log.equals("file-nofsync"));
            JChannel channel = RaftChannels.tcp(log + "-" + members.get(i), peers.get(i), peers, raft, 0);
            RaftHandle handle = new RaftHandle(channel, new Discard());
            channel.connect("bench-" + log);
            handles.add(handle);
        }
        return handles;
    }

    /** A state machine that keeps nothing: the figure is the log's and the network's. */
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

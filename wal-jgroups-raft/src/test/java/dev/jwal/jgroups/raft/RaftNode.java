package dev.jwal.jgroups.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jgroups.JChannel;
import org.jgroups.protocols.raft.ELECTION;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.REDIRECT;
import org.jgroups.protocols.raft.Role;
import org.jgroups.raft.RaftHandle;
import org.jgroups.util.Util;

/** One member of an in-JVM cluster on JGroups' shared loopback, its log a {@link JwalRaftLog} in {@code logs}. */
final class RaftNode {

    private static final Object ROLES = new Object();
    /** Role changes seen so far, counted under {@link #ROLES}. */
    private static long roleChanges;

    final String name;
    private final Path logs;
    private final List<String> members;
    private final long maxLogSize;
    private JChannel channel;
    private RaftHandle handle;
    private KvMachine machine;

    RaftNode(String name, Path logs, List<String> members, long maxLogSize) {
        this.name = name;
        this.logs = logs;
        this.members = members;
        this.maxLogSize = maxLogSize;
    }

    /** Starts the node on its log directory as it is on disk. */
    void start(String cluster) throws Exception {
        machine = new KvMachine();
        RAFT raft = new RAFT().raftId(name).members(members).logClass(JwalRaftLog.class.getName())
                .logDir(logs.toString()).maxLogSize(maxLogSize);
        channel = new JChannel(Util.getTestStack(new ELECTION(), raft, new REDIRECT())).name(name);
        handle = new RaftHandle(channel, machine);
        handle.addRoleListener(role -> {
            synchronized (ROLES) {
                roleChanges++;
                ROLES.notifyAll();
            }
        });
        channel.connect(cluster);
    }

    /** Stops the node; its log is closed, and its directory is what a restart reads. */
    void stop() {
        Util.close(channel);
        channel = null;
    }

    boolean isRunning() {
        return channel != null;
    }

    boolean isLeader() {
        return channel != null && handle.isLeader();
    }

    RaftHandle handle() {
        return handle;
    }

    KvMachine machine() {
        return machine;
    }

    JwalRaftLog log() {
        return (JwalRaftLog) unwrap(handle.raft().log());
    }

    private static Object unwrap(Object log) {
        return log instanceof org.jgroups.raft.util.LogCache cache ? cache.log() : log;
    }

    CompletableFuture<byte[]> put(String key, String value) throws Exception {
        byte[] command = KvMachine.put(key, value);
        return handle.setAsync(command, 0, command.length, null);
    }

    /** Waits until one of {@code nodes} leads; false when {@code timeout} passes first. */
    static boolean awaitLeader(List<RaftNode> nodes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen;
            synchronized (ROLES) {
                seen = roleChanges;
            }
            // Asked outside the monitor: RAFT calls the role listener holding its own lock.
            if (nodes.stream().anyMatch(RaftNode::isLeader)) {
                return true;
            }
            synchronized (ROLES) {
                while (roleChanges == seen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    ROLES.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        }
    }

    @Override
    public String toString() {
        return name + (isRunning() ? (isLeader() ? " (leader)" : " (" + Role.Follower + ")") : " (stopped)");
    }
}

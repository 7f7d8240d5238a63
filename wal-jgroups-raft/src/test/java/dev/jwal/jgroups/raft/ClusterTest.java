package dev.jwal.jgroups.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jgroups.protocols.raft.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three jgroups-raft nodes in one JVM on JGroups' shared loopback, each logging to a
 * {@link JwalRaftLog}: writes through random nodes while followers and leaders are stopped and
 * started again from their directories; afterwards every acknowledged write is on every node and
 * the committed entries agree. A small {@code max_log_size} makes RAFT snapshot and truncate, and
 * a node that was away long enough is caught up by snapshot ({@code reinitializeTo}).
 */
class ClusterTest {

    private static final List<String> MEMBERS = List.of("A", "B", "C");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path logs;

    private final List<RaftNode> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        nodes.forEach(node -> {
            if (node.isRunning()) {
                node.stop();
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void acknowledgedWritesSurviveStopsAndRestarts(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        String cluster = "jwal-cluster-" + seed;
        for (String member : MEMBERS) {
            RaftNode node = new RaftNode(member, logs, MEMBERS, 300);
            node.start(cluster);
            nodes.add(node);
        }
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        int written = 0;
        for (int round = 0; round < 4; round++) {
            assertThat(RaftNode.awaitLeader(nodes, PATIENCE)).as("seed %d: a leader in round %d", seed, round).isTrue();
            written = write(random, acknowledged, written, 40);
            RaftNode stopped = random.nextBoolean() ? leader() : nodes.get(random.nextInt(nodes.size()));
            stopped.stop();
            List<RaftNode> running = nodes.stream().filter(RaftNode::isRunning).toList();
            assertThat(RaftNode.awaitLeader(running, PATIENCE)).as("seed %d: a leader without %s", seed, stopped).isTrue();
            written = write(random, acknowledged, written, 40);
            stopped.start(cluster);
        }
        assertThat(acknowledged).as("seed %d: writes acknowledged", seed).isNotEmpty();
        for (RaftNode node : nodes) {
            assertThat(node.machine().awaitKeys(acknowledged.keySet(), PATIENCE))
                    .as("seed %d: %s applied every acknowledged write", seed, node).isTrue();
            assertThat(node.machine().contents()).containsAllEntriesOf(acknowledged);
        }
        assertThat(awaitCondition(() -> sameCommitEverywhere(), PATIENCE))
                .as("seed %d: every node's log reaches the same commit index: %s", seed, nodes).isTrue();
        assertCommittedEntriesAgree(seed);
    }

    /** Writes {@code count} puts through random running nodes, four at a time; records the acknowledged ones. */
    private int write(SplittableRandom random, Map<String, String> acknowledged, int from, int count) throws Exception {
        List<RaftNode> running = nodes.stream().filter(RaftNode::isRunning).toList();
        int next = from;
        for (int batch = 0; batch < count / 4; batch++) {
            Map<String, CompletableFuture<byte[]>> pending = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 4; i++) {
                String key = "k" + next++;
                RaftNode via = running.get(random.nextInt(running.size()));
                try {
                    pending.put(key, via.put(key, "v" + key));
                } catch (Exception notNow) {
                    // no leader known to this node yet: not acknowledged, not counted
                }
            }
            for (Map.Entry<String, CompletableFuture<byte[]>> write : pending.entrySet()) {
                try {
                    write.getValue().get(20, TimeUnit.SECONDS);
                    acknowledged.put(write.getKey(), "v" + write.getKey());
                } catch (Exception notAcknowledged) {
                    // failed or timed out: RAFT did not acknowledge it, so nothing is promised
                }
            }
        }
        return next;
    }

    private RaftNode leader() {
        return nodes.stream().filter(RaftNode::isLeader).findFirst().orElse(nodes.get(0));
    }

    private boolean sameCommitEverywhere() {
        return nodes.stream().mapToLong(node -> node.log().commitIndex()).distinct().count() == 1;
    }

    /**
     * Waits for a condition nothing signals (a follower's commit index moves inside RAFT), checking
     * it every few milliseconds until {@code timeout}; the condition, not the delay, decides.
     */
    private static boolean awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    private void assertCommittedEntriesAgree(long seed) {
        long commit = nodes.stream().mapToLong(node -> node.log().commitIndex()).min().orElseThrow();
        long first = nodes.stream().mapToLong(node -> Math.max(1, node.log().firstAppended())).max().orElseThrow();
        for (long index = first; index <= commit; index++) {
            Set<Long> terms = new java.util.HashSet<>();
            Set<String> commands = new java.util.HashSet<>();
            for (RaftNode node : nodes) {
                LogEntry entry = node.log().get(index);
                assertThat(entry).as("seed %d: entry %d on %s", seed, index, node).isNotNull();
                terms.add(entry.term());
                // A node's first entry may be the placeholder a snapshot install leaves (term only).
                if (index > node.log().firstAppended()) {
                    commands.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(entry.command(),
                            entry.offset(), entry.offset() + entry.length())));
                }
            }
            assertThat(terms).as("seed %d: entry %d has one term on every node", seed, index).hasSize(1);
            assertThat(commands).as("seed %d: entry %d has one command on every node", seed, index).hasSizeLessThanOrEqualTo(1);
        }
    }
}

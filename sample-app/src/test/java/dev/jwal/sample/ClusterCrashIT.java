package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three packaged sample apps on loopback as one jgroups-raft cluster (profile {@code cluster}):
 * concurrent clients write through every node while the leader is killed with SIGKILL, then a
 * follower; each comes back on its data directory. Afterwards every node serves every write that
 * was acknowledged.
 */
class ClusterCrashIT {

    private static final String[] NAMES = {"A", "B", "C"};
    private static final int CLIENTS = 4;
    private static final int PER_PHASE = 120;
    private static final long SEED = Long.getLong("jwal.cluster.seed", 20261203L);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path temp;

    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final SampleProcess[] nodes = new SampleProcess[NAMES.length];
    private final KvClient[] clients = new KvClient[NAMES.length];
    private final int[] managementPorts = new int[NAMES.length];
    private final int[] raftPorts = new int[NAMES.length];
    private Path jar;
    private int restarts;

    @AfterEach
    void stopAll() {
        for (SampleProcess node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void noAcknowledgedWriteIsLostWhenTheLeaderAndThenAFollowerAreKilled() throws Exception {
        jar = Path.of(System.getProperty("jwal.sample.jar", "target/sample-app.jar"));
        assertThat(jar).as("the packaged app; run through mvn verify").exists();
        for (int i = 0; i < NAMES.length; i++) {
            raftPorts[i] = freePort();
        }
        for (int i = 0; i < NAMES.length; i++) {
            nodes[i] = start(i);
        }
        for (int i = 0; i < NAMES.length; i++) {
            ready(i);
        }
        SplittableRandom random = new SplittableRandom(SEED);

        writeUntil(PER_PHASE, random.split());
        int leader = awaitLeader();
        nodes[leader].kill();
        nodes[leader] = null;
        writeUntil(2 * PER_PHASE, random.split());
        nodes[leader] = start(leader);
        ready(leader);

        int follower = (awaitLeader() + 1 + random.nextInt(2)) % NAMES.length;
        nodes[follower].kill();
        nodes[follower] = null;
        writeUntil(3 * PER_PHASE, random.split());
        nodes[follower] = start(follower);
        ready(follower);

        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(3 * PER_PHASE);
        for (int i = 0; i < NAMES.length; i++) {
            int node = i;
            assertThat(await(() -> missingOn(node) == 0, Duration.ofMinutes(2)))
                    .as("node %s serves every acknowledged write (%d missing)", NAMES[node], missingOn(node)).isTrue();
        }
    }

    private SampleProcess start(int node) throws Exception {
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=cluster", "--wal.raft.node-name=" + NAMES[node],
                "--app.data-dir=" + temp.resolve(NAMES[node]), "--server.port=0", "--management.server.port=0",
                "--wal.raft.cluster-name=cluster-it", "--wal.raft.max-log-size=16KB", "--spring.main.banner-mode=off"));
        for (int i = 0; i < NAMES.length; i++) {
            args.add("--wal.raft.members." + NAMES[i] + "=127.0.0.1:" + raftPorts[i]);
        }
        return SampleProcess.start(jar, temp.resolve(NAMES[node] + "-" + restarts++ + ".log"), args);
    }

    private void ready(int node) throws Exception {
        clients[node] = new KvClient(nodes[node].awaitReady());
        managementPorts[node] = nodes[node].managementPort();
    }

    /** Writes unique keys through random running nodes, from several clients, until {@code total} are acknowledged. */
    private void writeUntil(int total, SplittableRandom random) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sequence = new AtomicInteger(acknowledged.size() * 10);
        List<Thread> writers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            SplittableRandom mine = random.split();
            Thread writer = new Thread(() -> {
                while (!stop.get() && acknowledged.size() < total) {
                    int node = mine.nextInt(NAMES.length);
                    KvClient client = clients[node];
                    if (nodes[node] == null || client == null) {
                        continue;
                    }
                    String key = "key-" + sequence.incrementAndGet();
                    try {
                        HttpResponse<String> response = client.put(key, "value of " + key);
                        if (response.statusCode() == 200 || response.statusCode() == 201) {
                            acknowledged.put(key, "value of " + key);
                        }
                    } catch (RuntimeException unreachable) {
                        // a killed node refuses connections: not acknowledged, so nothing is promised
                    }
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join(TimeUnit.MINUTES.toMillis(3));
        }
        stop.set(true);
        assertThat(acknowledged.size()).as("writes acknowledged before the next step").isGreaterThanOrEqualTo(total);
    }

    private int awaitLeader() {
        int[] found = {-1};
        assertThat(await(() -> {
            for (int i = 0; i < NAMES.length; i++) {
                if (nodes[i] != null && "Leader".equals(role(i))) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        }, Duration.ofMinutes(1))).as("a leader").isTrue();
        return found[0];
    }

    private String role(int node) {
        try {
            return new KvClient(managementPorts[node]).json("/actuator/health").get("components").get("raft")
                    .get("details").get("role").asString();
        } catch (RuntimeException | AssertionError notNow) {
            // a node still starting, or one answering 503 because it knows no leader yet (a node
            // restarted while its peers were busy may form a view of its own until MERGE3 joins it
            // back): not the leader this loop is looking for
            return null;
        }
    }

    private int missingOn(int node) {
        int missing = 0;
        for (Map.Entry<String, String> write : acknowledged.entrySet()) {
            String value;
            try {
                value = clients[node].text(write.getKey());
            } catch (RuntimeException | AssertionError notYet) {
                // a node still starting, or one answering 503 while it has no leader
                value = null;
            }
            if (!write.getValue().equals(value)) {
                missing++;
            }
        }
        return missing;
    }

    /** Polls a condition nothing signals across processes; the condition decides, not the delay. */
    private static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        return true;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

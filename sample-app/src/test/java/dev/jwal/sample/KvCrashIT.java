package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the packaged app with SIGKILL while several clients write, restarts it on the same data
 * directory, and checks that every acknowledged write is there: values put, keys deleted, and for
 * each client's counter key a value no older than the last one acknowledged. Several cycles, each
 * killed after a number of acknowledgements; one is killed as a snapshot starts. Cycles alternate
 * the {@code always} and {@code group} sync policies.
 */
class KvCrashIT {

    private static final int CLIENTS = 4;
    private static final int CYCLES = 4;
    private static final long SEED = Long.getLong("jwal.crash.seed", 20261125L);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path temp;

    /** Acknowledged puts of unique keys and their values; deleted keys leave it. */
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    /** Acknowledged deletions. */
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    /** Per client: the last counter value acknowledged, and the last one sent. */
    private final long[] counterAcknowledged = new long[CLIENTS];
    private final long[] counterSent = new long[CLIENTS];

    @Test
    void everyAcknowledgedWriteSurvivesSigkillAndRestart() throws Exception {
        Path jar = Path.of(System.getProperty("jwal.sample.jar", "target/sample-app.jar"));
        assertThat(jar).as("the packaged app; run through mvn verify").exists();
        SplittableRandom random = new SplittableRandom(SEED);
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            boolean duringSnapshot = cycle == CYCLES - 1;
            // Alternate etcd's rule and group commit: both acknowledge only what is durable.
            String policy = cycle % 2 == 0 ? "always" : "group";
            try (SampleProcess app = start(jar, "cycle-" + cycle, "--wal.sync-policy=" + policy)) {
                KvClient client = new KvClient(app.awaitReady());
                checkEverythingAcknowledged(client, app);
                int killAfter = 150 + random.nextInt(250);
                runClientsUntilKilled(client, app, cycle, killAfter, duringSnapshot, random.split());
            }
        }
        try (SampleProcess app = start(jar, "final", "--wal.sync-policy=always")) {
            KvClient client = new KvClient(app.awaitReady());
            checkEverythingAcknowledged(client, app);
            assertThat(new KvClient(app.managementPort()).json("/actuator/health").get("status").asString()).isEqualTo("UP");
            assertThat(acknowledged).as("the clients got writes acknowledged").hasSizeGreaterThan(CYCLES * 100);
            assertThat(Files.readString(temp.resolve("final.log"))).as("recovery began at a compaction point")
                    .containsPattern("Recovered \\d+ keys from .* at compaction point [1-9]");
        }
    }

    private SampleProcess start(Path jar, String name, String policy) throws Exception {
        return SampleProcess.start(jar, temp.resolve(name + ".log"), List.of("--server.port=0", "--management.server.port=0",
                "--app.data-dir=" + temp.resolve("data"), "--app.snapshot.interval=120", "--wal.log.keep-segments=3",
                "--wal.segment-size=32768", "--spring.main.banner-mode=off", policy));
    }

    /**
     * Runs the clients until the app is killed: after {@code killAfter} acknowledgements, or when
     * the app logs that a snapshot has started (when {@code duringSnapshot}).
     */
    private void runClientsUntilKilled(KvClient client, SampleProcess app, int cycle, int killAfter,
            boolean duringSnapshot, SplittableRandom random) throws Exception {
        CountDownLatch enough = new CountDownLatch(killAfter);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int id = c;
            SplittableRandom own = random.split();
            Thread thread = new Thread(() -> writeUntilRefused(client, id, cycle, own, enough), "client-" + c);
            thread.start();
            clients.add(thread);
        }
        if (duringSnapshot) {
            app.snapshotStarted().get(2, TimeUnit.MINUTES);
        } else {
            enough.await();
        }
        app.kill();
        for (Thread thread : clients) {
            thread.join();
        }
    }

    /** One client: puts of new keys, now and then a delete of one of its keys, and its counter. */
    private void writeUntilRefused(KvClient client, int id, int cycle, SplittableRandom random, CountDownLatch acks) {
        List<String> mine = new ArrayList<>();
        try {
            for (int n = 0; ; n++) {
                int choice = random.nextInt(10);
                if (choice == 0 && !mine.isEmpty()) {
                    String key = mine.remove(random.nextInt(mine.size()));
                    acknowledged.remove(key); // uncertain until acknowledged
                    HttpResponse<String> response = client.delete(key);
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
                    deleted.add(key);
                } else if (choice == 1) {
                    long value = ++counterSent[id];
                    HttpResponse<String> response = client.put("counter-" + id, Long.toString(value));
                    assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
                    counterAcknowledged[id] = value;
                } else {
                    String key = "c" + cycle + "-t" + id + "-" + n;
                    String value = key + ":" + "x".repeat(random.nextInt(400));
                    HttpResponse<String> response = client.put(key, value);
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                    acknowledged.put(key, value);
                    mine.add(key);
                }
                acks.countDown();
            }
        } catch (java.io.UncheckedIOException expected) {
            // the app was killed under this request: it was never acknowledged
        }
    }

    private void checkEverythingAcknowledged(KvClient client, SampleProcess app) {
        try {
            for (Map.Entry<String, String> write : acknowledged.entrySet()) {
                assertThat(client.text(write.getKey())).as("acknowledged put of %s", write.getKey())
                        .isEqualTo(write.getValue());
            }
            for (String key : deleted) {
                assertThat(client.text(key)).as("acknowledged delete of %s", key).isNull();
            }
            for (int id = 0; id < CLIENTS; id++) {
                String counter = client.text("counter-" + id);
                long value = counter == null ? 0 : Long.parseLong(counter);
                assertThat(value).as("counter of client %d", id)
                        .isBetween(counterAcknowledged[id], counterSent[id]);
            }
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nseed " + SEED + "; the app's output ends:\n" + app.tail(), e);
        }
    }
}

package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The store across restarts of the whole application on one data directory. */
class KvRestartTests {

    @TempDir
    Path temp;

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0", "--app.data-dir=" + temp.resolve("data"),
                "--wal.preallocate=false", "--spring.main.banner-mode=off"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(SampleApplication.class).run(args.toArray(String[]::new));
    }

    private static KvClient actuator(ConfigurableApplicationContext context) {
        return new KvClient(Integer.parseInt(context.getEnvironment().getProperty("local.management.port")));
    }

    private static KvClient client(ConfigurableApplicationContext context) {
        return new KvClient(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void writesSurviveARestart() {
        try (ConfigurableApplicationContext first = start()) {
            KvClient client = client(first);
            client.put("kept", "one");
            client.put("replaced", "old");
            client.put("replaced", "new");
            client.put("removed", "gone soon");
            client.delete("removed");
        }
        try (ConfigurableApplicationContext second = start()) {
            KvClient client = client(second);
            assertThat(client.text("kept")).isEqualTo("one");
            assertThat(client.text("replaced")).isEqualTo("new");
            assertThat(client.text("removed")).isNull();
            assertThat(actuator(second).json("/actuator/wal").get("lastIndex").asLong()).isEqualTo(5);
            assertThat(client.put("after", "restart").statusCode()).isEqualTo(201);
        }
    }

    /**
     * With snapshots every 20 entries into 4 KB segments, writing keeps going until a snapshot has
     * let the first segments be purged; the restart then loads that snapshot and replays only the
     * entries after it, and every write reads back.
     */
    @Test
    void snapshotsRetainTheNewestPurgeOldSegmentsAndAreWhereARestartBegins() throws IOException {
        String[] settings = {"--wal.segment-size=4096", "--app.snapshot.interval=20", "--app.snapshot.retain=2",
                "--wal.log.keep-segments=2"};
        Path wal = temp.resolve("data/wal");
        Path snap = temp.resolve("data/snap");
        int written = 0;
        try (ConfigurableApplicationContext context = start(settings)) {
            KvClient client = client(context);
            // Snapshots run in the background; writing on is what gives them entries to cover.
            while (written < 5000 && (countFiles(snap, ".snap") < 2 || Files.exists(wal.resolve(firstSegment())))) {
                assertThat(client.put("key-" + written, "value " + written + " ".repeat(60)).statusCode()).isEqualTo(201);
                written++;
            }
        }
        assertThat(countFiles(snap, ".snap")).isEqualTo(2);
        assertThat(wal.resolve(firstSegment())).as("purged").doesNotExist();
        assertThat(countFiles(wal, ".wal")).isGreaterThanOrEqualTo(2);

        try (ConfigurableApplicationContext context = start(settings)) {
            KvState state = context.getBean(KvState.class);
            assertThat(state.restoredSnapshotIndex()).isPositive();
            assertThat(WalDirectory.validSnapshotEntries(wal)).extracting(s -> s.index()).contains(state.restoredSnapshotIndex());
            KvClient client = client(context);
            for (int i = 0; i < written; i++) {
                assertThat(client.text("key-" + i)).startsWith("value " + i + " ");
            }
            assertThat(state.size()).isEqualTo(written);
        }
    }

    /** Under group commit, concurrent writers share fdatasyncs; every acknowledged write is there after a restart. */
    @Test
    void concurrentWritesUnderGroupCommitSurviveARestart() throws Exception {
        int writers = 8;
        int each = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try (ConfigurableApplicationContext context = start("--wal.sync-policy=group", "--app.snapshot.interval=50")) {
            KvClient client = client(context);
            java.util.List<java.util.concurrent.CompletableFuture<Void>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                running.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < each; i++) {
                        assertThat(client.put("w" + writer + "-" + i, "v" + i).statusCode()).isEqualTo(201);
                    }
                    assertThat(client.put("w" + writer + "-0", "replaced").statusCode()).isEqualTo(200);
                }, pool));
            }
            java.util.concurrent.CompletableFuture.allOf(running.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(2, java.util.concurrent.TimeUnit.MINUTES);
        } finally {
            pool.shutdown();
        }
        try (ConfigurableApplicationContext context = start()) {
            KvClient client = client(context);
            for (int w = 0; w < writers; w++) {
                assertThat(client.text("w" + w + "-0")).isEqualTo("replaced");
                for (int i = 1; i < each; i++) {
                    assertThat(client.text("w" + w + "-" + i)).isEqualTo("v" + i);
                }
            }
            assertThat(context.getBean(KvState.class).appliedIndex()).isEqualTo((long) writers * (each + 1));
        }
    }

    @Test
    void aMissingWalBesideSnapshotsFailsStartupAndCreatesNothing() throws IOException {
        try (ConfigurableApplicationContext context = start("--app.snapshot.interval=3")) {
            KvClient client = client(context);
            for (int i = 0; i < 10 && countFiles(temp.resolve("data/snap"), ".snap") == 0; i++) {
                client.put("k" + i, "v");
            }
        }
        // Wait for nothing: close() waited for the background snapshot to finish.
        assertThat(countFiles(temp.resolve("data/snap"), ".snap")).isPositive();
        Files.move(temp.resolve("data/wal"), temp.resolve("wal-moved-away"));

        assertThatThrownBy(this::start).rootCause().hasMessageContaining("holds no WAL")
                .hasMessageContaining("snapshot(s) of earlier data");
        assertThat(temp.resolve("data/wal")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(countFiles(p, ".wal")).isZero());
    }

    @Test
    void settingsThatCannotWorkFailStartupNamingTheProperty() {
        assertThatThrownBy(() -> start("--app.kv.max-value-size=20MB")).rootCause()
                .hasMessageContaining("app.kv.max-value-size").hasMessageContaining("wal.max-record-size");
        assertThatThrownBy(() -> start("--app.snapshot.interval=0")).rootCause()
                .hasMessageContaining("app.snapshot.interval");
    }

    private static String firstSegment() {
        return "0000000000000000-0000000000000000.wal";
    }

    private static long countFiles(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }
}

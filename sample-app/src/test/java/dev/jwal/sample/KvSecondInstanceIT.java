package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second instance started on a running one's data directory, while that one writes and takes
 * snapshots (which write {@code snap/*.tmp} files and purge WAL segments): it is refused before it
 * touches anything, and the running instance's snapshots, purges and writes go on unaffected.
 */
class KvSecondInstanceIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path temp;

    @Test
    void aSecondInstanceIsRefusedBeforeItTouchesTheDataDirectory() throws Exception {
        Path jar = Path.of(System.getProperty("jwal.sample.jar", "target/sample-app.jar"));
        assertThat(jar).as("the packaged app; run through mvn verify").exists();
        Path data = temp.resolve("data");
        try (SampleProcess running = start(jar, "running")) {
            KvClient client = new KvClient(running.awaitReady());
            AtomicInteger written = new AtomicInteger();
            AtomicInteger stopAt = new AtomicInteger(Integer.MAX_VALUE);
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    while (written.get() < stopAt.get()) {
                        int n = written.incrementAndGet();
                        int status = client.put("k" + (n % 50), "value-" + n + "-" + "x".repeat(200)).statusCode();
                        if (status != 200 && status != 201) {
                            throw new AssertionError("write " + n + " answered " + status);
                        }
                    }
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            }, "load");
            writer.start();
            running.snapshotStarted().get(2, java.util.concurrent.TimeUnit.MINUTES);
            for (int attempt = 0; attempt < 5; attempt++) {
                SampleProcess refused = start(jar, "refused-" + attempt);
                assertThat(refused.awaitExit()).isNotZero();
                assertThat(refused.output()).contains("APPLICATION FAILED TO START")
                        .contains("the data directory " + data + " is in use")
                        .contains("Nothing in it was read or changed")
                        .doesNotContain("Recovered").doesNotContain("Starting with an empty log");
            }
            // the running instance goes on writing after the refusals: 200 more, then the load stops
            stopAt.set(written.get() + 200);
            writer.join();
            assertThat(writerFailure.get()).isNull();
            String log = running.output();
            assertThat(log).contains("Snapshot at index").doesNotContain("failed; the next is tried")
                    .doesNotContain("ERROR");
        }
        try (Stream<Path> snapshots = Files.list(data.resolve("snap"))) {
            assertThat(snapshots.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snap")))
                    .isNotEmpty();
        }
        try (SampleProcess again = start(jar, "again")) {
            KvClient client = new KvClient(again.awaitReady());
            assertThat(client.text("k1")).startsWith("value-");
        }
    }

    private SampleProcess start(Path jar, String name) throws Exception {
        return SampleProcess.start(jar, temp.resolve(name + ".log"), List.of("--server.port=0",
                "--management.server.port=0", "--app.data-dir=" + temp.resolve("data"), "--wal.segment-size=65536",
                "--app.snapshot.interval=100", "--wal.log.keep-segments=2", "--wal.preallocate=false",
                "--spring.main.banner-mode=off"));
    }
}

package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.RepairResult;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's report, replayed on the packaged app: 1 MB segments, 240 keys written twice,
 * the app stopped, one sector of zeros in the middle of the last segment
 * ({@code dd if=/dev/zero of=<last segment> bs=512 seek=200 count=1 conv=notrunc}), then a start.
 * The app refuses to start, with a failure analysis that names the damage and both ways out, and
 * changes nothing; restoring the segment brings every newest value back; cutting knowingly (what
 * {@code jwal repair --discard-readable} does) lets it start on what precedes the damage.
 */
class KvDamageIT {

    private static final int KEYS = 240;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path temp;

    @Test
    void aZeroedSectorMidSegmentStopsStartupAndLosesNothingUnlessTold() throws Exception {
        Path jar = Path.of(System.getProperty("jwal.sample.jar", "target/sample-app.jar"));
        assertThat(jar).as("the packaged app; run through mvn verify").exists();
        try (SampleProcess app = start(jar, "write")) {
            KvClient client = new KvClient(app.awaitReady());
            for (String round : List.of("old", "new")) {
                for (int key = 0; key < KEYS; key++) {
                    assertThat(client.put("k" + key, value(round, key)).statusCode()).isBetween(200, 204);
                }
            }
        }
        Path wal = temp.resolve("data").resolve("wal");
        Path last;
        try (Stream<Path> files = Files.list(wal)) {
            last = files.filter(p -> p.toString().endsWith(".wal")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        byte[] backup = Files.readAllBytes(last);
        assertThat(backup.length).isGreaterThan(512 * 260);
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.seek(512L * 200);
            file.write(new byte[512]);
        }
        byte[] damaged = Files.readAllBytes(last);

        SampleProcess refused = start(jar, "refused");
        assertThat(refused.awaitExit()).isNotZero();
        String output = refused.output();
        assertThat(output).contains("APPLICATION FAILED TO START").contains(last.toString())
                .contains("read back intact").contains("nothing was cut")
                .contains("restore this node's WAL directory from a backup or a peer")
                .contains("jwal repair --discard-readable " + wal);
        assertThat(Files.readAllBytes(last)).as("the refusal changes nothing").isEqualTo(damaged);
        assertThat(last.resolveSibling(last.getFileName() + ".broken")).doesNotExist();

        // Way out 1: restore the segment; every acknowledged write is back, newest values and all.
        Files.write(last, backup);
        try (SampleProcess app = start(jar, "restored")) {
            KvClient client = new KvClient(app.awaitReady());
            for (int key = 0; key < KEYS; key++) {
                assertThat(client.text("k" + key)).as("k" + key).isEqualTo(value("new", key));
            }
        }

        // Way out 2, when nothing holds those records: cut them off knowingly, then start.
        Files.write(last, damaged);
        RepairResult cut = WalDirectory.repairDiscardingReadable(wal, WalOptions.defaults());
        assertThat(cut.discarded().any()).isTrue();
        assertThat(cut.broken()).isPresent();
        try (SampleProcess app = start(jar, "discarded")) {
            KvClient client = new KvClient(app.awaitReady());
            assertThat(client.text("k0")).as("what precedes the damage is kept").isNotNull();
        }
    }

    private static String value(String round, int key) {
        return round + "-" + key + "-" + "x".repeat(300);
    }

    private SampleProcess start(Path jar, String name) throws Exception {
        return SampleProcess.start(jar, temp.resolve(name + ".log"), List.of("--server.port=0", "--management.server.port=0",
                "--app.data-dir=" + temp.resolve("data"), "--wal.segment-size=1MB", "--app.snapshot.interval=100000",
                "--spring.main.banner-mode=off"));
    }
}

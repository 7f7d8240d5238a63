package dev.jwal.cli;

import static dev.jwal.cli.JwalFixturesTest.jwal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.inspect.WalInspector;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Options, bad input, confirmation and the read-only promise. */
class JwalCommandLineTest {

    @TempDir
    Path temp;

    private Path writeWal() {
        Path dir = temp.resolve("wal");
        WalOptions options = WalOptions.builder().segmentSize(4096).syncPolicy(SyncPolicy.NONE).preallocate(false)
                .build();
        try (Wal wal = Wal.create(dir, "node-1".getBytes(StandardCharsets.UTF_8), options)) {
            wal.save(new HardState(1, 1, 5), entries(1, 1, 10));
            wal.saveSnapshot(new WalSnapshot(5, 1, null));
            wal.save(new HardState(2, 1, 8), entries(2, 8, 9)); // overwrites 8..10 of term 1
        }
        return dir;
    }

    private static List<Entry> entries(long term, long from, long to) {
        return LongStream.rangeClosed(from, to)
                .mapToObj(i -> Entry.normal(term, i, ("put k" + i).getBytes(StandardCharsets.US_ASCII))).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = { "segments", "dump", "verify", "repair", "snapshots" })
    void everyCommandHasHelp(String command) {
        JwalFixturesTest.Result result = jwal(command, "--help");
        assertThat(result.status()).isZero();
        assertThat(result.out()).contains("Usage: jwal " + command).contains("--format");
    }

    @Test
    void aMissingDirectoryIsOneLineAndExitThree() {
        JwalFixturesTest.Result result = jwal("verify", temp.resolve("nope").toString());
        assertThat(result.status()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.err().strip()).startsWith("jwal: no such file or directory").doesNotContain("\n");
    }

    @Test
    void aDirectoryWithoutWalFilesSaysSo() throws Exception {
        Files.createDirectories(temp.resolve("empty"));
        JwalFixturesTest.Result result = jwal("dump", temp.resolve("empty").toString());
        assertThat(result.status()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.err()).contains("file not found").doesNotContain("\tat ");
        assertThat(jwal("dump", temp.resolve("empty").toString(), "--verbose").err()).contains("\tat ");
    }

    @Test
    void aBadOptionIsAUsageError() {
        JwalFixturesTest.Result result = jwal("verify", "--format", "xml", temp.toString());
        assertThat(result.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--format");
    }

    @Test
    void dumpHidesOverwrittenEntriesUnlessRaw() {
        Path dir = writeWal();
        String table = jwal("dump", dir.toString()).out();
        assertThat(table).contains("\"put k7\"").doesNotContain("overwritten");
        assertThat(table.lines().filter(l -> l.contains(" entry ")).count()).isEqualTo(9);

        String raw = jwal("dump", dir.toString(), "--raw").out();
        assertThat(raw.lines().filter(l -> l.contains("overwritten")).count()).isEqualTo(3);
        assertThat(raw).contains(" crc ");

        String filtered = jwal("dump", dir.toString(), "--start-index", "3", "--end-index", "4").out();
        assertThat(filtered.lines().filter(l -> l.contains(" entry ")).count()).isEqualTo(2);

        String fromSnapshot = jwal("dump", dir.toString(), "--snap-index", "5", "--snap-term", "1").out();
        assertThat(fromSnapshot.lines().filter(l -> l.contains(" entry ")).count()).isEqualTo(4); // 6, 7, 8, 9
        assertThat(jwal("dump", dir.toString(), "--entry-type", "conf-change").out()).doesNotContain(" entry ");
    }

    @Test
    void readOnlyCommandsWorkWhileTheOwnerHoldsTheWal() throws Exception {
        Path dir = temp.resolve("held");
        try (Wal wal = Wal.create(dir, null, WalOptions.builder().preallocate(false).build())) {
            wal.save(new HardState(1, 1, 1), entries(1, 1, 1));
            byte[] before = Files.readAllBytes(dir.resolve("0000000000000000-0000000000000000.wal"));
            for (String command : List.of("segments", "dump", "verify", "snapshots")) {
                JwalFixturesTest.Result result = jwal(command, dir.toString());
                assertThat(result.status()).as(command + ": " + result.err()).isZero();
            }
            assertThat(Files.readAllBytes(dir.resolve("0000000000000000-0000000000000000.wal"))).isEqualTo(before);
            wal.save(new HardState(1, 1, 2), entries(1, 2, 2)); // the owner still holds its lock and appends
            assertThat(jwal("repair", dir.toString(), "--yes").out()).contains("nothing to repair");
        }
    }

    @Test
    void repairAsksFirstAndDoesNothingWithoutAYes() throws Exception {
        Path dir = writeWal();
        Path last;
        List<dev.jwal.core.inspect.SegmentFile> files = WalInspector.withDefaults().segmentFiles(dir);
        last = files.get(files.size() - 1).path();
        long end = WalInspector.withDefaults().segments(dir).get(files.size() - 1).dataEnd();
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.setLength(end - 4);
        }
        byte[] torn = Files.readAllBytes(last);

        JwalFixturesTest.Result refused = withStdin("n\n", () -> jwal("repair", dir.toString()));
        assertThat(refused.status()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.err()).contains("bytes off " + last.getFileName() + "? [y/N]");
        assertThat(refused.out()).contains("cutAt:").contains("bytesLost:").contains("not confirmed");
        assertThat(Files.readAllBytes(last)).isEqualTo(torn);

        JwalFixturesTest.Result done = withStdin("y\n", () -> jwal("repair", dir.toString()));
        assertThat(done.status()).isZero();
        assertThat(done.out()).contains("repaired: cut at offset").contains(".broken");
        assertThat(jwal("verify", dir.toString()).status()).isZero();
    }

    private static JwalFixturesTest.Result withStdin(String input,
            java.util.function.Supplier<JwalFixturesTest.Result> run) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.get();
        } finally {
            System.setIn(original);
        }
    }
}

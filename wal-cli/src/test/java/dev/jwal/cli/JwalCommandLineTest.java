package dev.jwal.cli;

import static dev.jwal.cli.JwalFixturesTest.jwal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalVerdict;
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
import tools.jackson.databind.JsonNode;

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

    /**
     * Issue 37: {@code --format yaml} printed Java's enum error and the whole usage text; now one
     * line naming what is accepted, and where to look.
     */
    @Test
    void aBadFormatSaysWhatIsAcceptedInOneLine() {
        JwalFixturesTest.Result result = jwal("segments", "--format", "yaml", temp.toString());
        assertThat(result.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("expected table or json, got 'yaml'")
                .contains("Run 'jwal segments --help'").doesNotContain("enum").doesNotContain("Usage:");
        assertThat(result.err().strip().lines()).hasSize(2);
        assertThat(jwal("dump", "--data", "octal", temp.toString()).err())
                .contains("expected preview, full, hex or base64, got 'octal'");
    }

    /** Issue 37: segments on a directory with no WAL printed "(none)" and exited 0. */
    @ParameterizedTest
    @ValueSource(strings = { "segments", "snapshots", "dump", "verify" })
    void everyCommandOnADirectoryWithoutAWalExitsThree(String command) throws Exception {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        JwalFixturesTest.Result result = jwal(command, empty.toString());
        assertThat(result.status()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.err()).contains("no .wal segment in " + empty);
        assertThat(result.out()).isEmpty();
    }

    /** Issue 37: with --format json, a failure is a JSON object on standard error, as scripts parse it. */
    @Test
    void withJsonAFailureIsAJsonObject() {
        JwalFixturesTest.Result result = jwal("verify", "--format", "json", temp.resolve("nope").toString());
        assertThat(result.status()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.err().strip()).startsWith("{").endsWith("}")
                .contains("\"error\": \"no such file or directory: " + temp.resolve("nope") + "\"")
                .contains("\"exitCode\": 3").doesNotContain("stackTrace");
        assertThat(jwal("verify", "--format", "json", "--verbose", temp.resolve("nope").toString()).err())
                .contains("\"stackTrace\": ");
    }

    @Test
    void dumpHidesOverwrittenEntriesUnlessRaw() {
        Path dir = writeWal();
        String table = jwal("dump", dir.toString()).out();
        assertThat(table).contains("\"put k7\"").doesNotContain("overwritten");
        assertThat(table.lines().filter(l -> l.contains(" entry ") && !l.startsWith("summary:")).count()).isEqualTo(9);

        String raw = jwal("dump", dir.toString(), "--raw").out();
        assertThat(raw.lines().filter(l -> l.contains("overwritten")).count()).isEqualTo(3);
        assertThat(raw).contains(" crc ");

        String filtered = jwal("dump", dir.toString(), "--start-index", "3", "--end-index", "4").out();
        assertThat(filtered.lines().filter(l -> l.contains(" entry ") && !l.startsWith("summary:")).count()).isEqualTo(2);

        String fromSnapshot = jwal("dump", dir.toString(), "--snap-index", "5", "--snap-term", "1").out();
        assertThat(fromSnapshot.lines().filter(l -> l.contains(" entry ") && !l.startsWith("summary:")).count()).isEqualTo(4); // 6, 7, 8, 9
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
            JwalFixturesTest.Result repair = jwal("repair", dir.toString(), "--yes");
            assertThat(repair.status()).as("repair of a held WAL").isEqualTo(ExitCodes.FAILED);
            assertThat(repair.err()).contains("locked").contains("0000000000000000-0000000000000000.wal")
                    .doesNotContain("\tat ");
            assertThat(repair.out()).doesNotContain("nothing to repair");
        }
    }

    @Test
    void jsonHasNumbersAndObjects() {
        Path dir = writeWal();
        JsonNode verify = json(jwal("verify", dir.toString(), "--format", "json"));
        assertThat(verify.get("hardState").get("term").isNumber()).isTrue();
        assertThat(verify.get("hardState").get("commit").asLong()).isEqualTo(8);
        assertThat(verify.get("snapshot").get("index").isNumber()).isTrue();
        assertThat(verify.get("records").isNumber()).isTrue();

        JsonNode dump = json(jwal("dump", dir.toString(), "--format", "json"));
        JsonNode state = null;
        for (JsonNode record : dump.get("records")) {
            if (record.get("type").asString().equals("state")) {
                state = record.get("data");
            }
            if (record.get("type").asString().equals("entry")) {
                assertThat(record.get("index").isNumber()).isTrue();
                assertThat(record.get("term").isNumber()).isTrue();
            }
        }
        assertThat(state.get("term").asLong()).isEqualTo(2);
        assertThat(state.get("vote").asLong()).isEqualTo(1);
        JsonNode summary = dump.get("summary");
        assertThat(summary.get("entries").asLong()).isEqualTo(9);
        assertThat(summary.get("firstIndex").asLong()).isEqualTo(1);
        assertThat(summary.get("lastIndex").asLong()).isEqualTo(9);
        assertThat(summary.get("records").asLong()).isGreaterThan(summary.get("shown").asLong());

        JsonNode segments = json(jwal("segments", dir.toString(), "--format", "json"));
        assertThat(segments.get("segments").get(0).get("firstIndex").isNumber()).isTrue();
        JsonNode snapshots = json(jwal("snapshots", dir.toString(), "--format", "json"));
        JsonNode marker = snapshots.get("snapshots").get(snapshots.get("snapshots").size() - 1);
        assertThat(marker.get("index").asLong()).isEqualTo(5);
        assertThat(marker.get("term").isNumber()).isTrue();
    }

    @Test
    void aUint64AboveTwoToThe53IsAStringSoNoDigitIsLost() {
        assertThat(Printer.u64(1L << 53)).isEqualTo(1L << 53);
        assertThat(Printer.u64((1L << 53) + 1)).isEqualTo("9007199254740993");
        assertThat(Printer.u64(-1L)).isEqualTo("18446744073709551615");
    }

    @Test
    void dumpPrintsWholeDataInTheFormAskedFor() {
        Path dir = temp.resolve("long");
        byte[] text = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);
        byte[] binary = { 0, 1, 2, (byte) 0xff };
        try (Wal wal = Wal.create(dir, null, WalOptions.builder().preallocate(false).build())) {
            wal.save(new HardState(1, 1, 2), List.of(Entry.normal(1, 1, text), Entry.normal(1, 2, binary)));
        }
        assertThat(entryData(dir)).containsExactly("\"" + "x".repeat(40) + "...\"", "0x000102ff");
        assertThat(entryData(dir, "--data", "full")).containsExactly("\"" + "x".repeat(100) + "\"", "0x000102ff");
        assertThat(entryData(dir, "--data", "hex")).containsExactly("78".repeat(100), "000102ff");
        assertThat(entryData(dir, "--data", "BASE64")).containsExactly(
                java.util.Base64.getEncoder().encodeToString(text), "AAEC/w==");
        assertThat(jwal("dump", dir.toString(), "--data", "octal").status()).isEqualTo(ExitCodes.USAGE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "conf", "ConfChange", "conf-change", "CONF_CHANGE", "configchange", "EntryConfChange" })
    void entryTypeTakesEtcdsNamesInAnyCase(String name) {
        Path dir = temp.resolve("types");
        try (Wal wal = Wal.create(dir, null, WalOptions.builder().preallocate(false).build())) {
            wal.save(new HardState(1, 1, 2), List.of(Entry.normal(1, 1, new byte[] { 1 }),
                    new Entry(1, 2, dev.jwal.core.EntryType.CONF_CHANGE, new byte[] { 2 })));
        }
        JwalFixturesTest.Result result = jwal("dump", dir.toString(), "--entry-type", name, "--format", "json");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(json(result).get("summary").get("entries").asLong()).isEqualTo(1);
        assertThat(json(result).get("summary").get("firstIndex").asLong()).isEqualTo(2);
        assertThat(jwal("dump", dir.toString(), "--entry-type", "Normal").status()).isZero();
        assertThat(jwal("dump", dir.toString(), "--entry-type", "snapshot").status()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void entriesOfATypeNumberWithoutANameAreShownAndFilteredByNumber() {
        Path dir = temp.resolve("unknown-types");
        try (Wal wal = Wal.create(dir, null, WalOptions.builder().preallocate(false).build())) {
            wal.save(new HardState(1, 1, 3), List.of(Entry.normal(1, 1, new byte[] { 1 }),
                    Entry.ofTypeNumber(1, 2, 3, new byte[] { 2 }), Entry.ofTypeNumber(1, 3, 3, new byte[] { 3 })));
        }
        assertThat(jwal("verify", dir.toString()).status()).isZero();
        JwalFixturesTest.Result result = jwal("dump", dir.toString(), "--entry-type", "3", "--format", "json");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(json(result).get("summary").get("entries").asLong()).isEqualTo(2);
        assertThat(result.out()).contains("\"entryType\": \"unknown(3)\"");
        assertThat(jwal("dump", dir.toString()).out()).contains("unknown(3)");
        assertThat(jwal("dump", dir.toString(), "--entry-type", "99999999999").status()).isEqualTo(ExitCodes.USAGE);
    }

    /**
     * Six rounds of twenty entries, each followed by a snapshot marker and a lock release, then a
     * purge down to one segment; then {@code more} single-entry saves.
     */
    private static void writePurged(Path dir, int more) {
        WalOptions options = WalOptions.builder().segmentSize(4096).syncPolicy(SyncPolicy.NONE).preallocate(false)
                .build();
        try (Wal wal = Wal.create(dir, null, options)) {
            long index = 0;
            for (int round = 1; round <= 6; round++) {
                List<Entry> batch = new java.util.ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    index++;
                    batch.add(Entry.normal(1, index, new byte[200]));
                }
                wal.save(new HardState(1, 1, index), batch);
                wal.saveSnapshot(new WalSnapshot(index, 1, null));
                wal.releaseLockTo(index);
            }
            assertThat(wal.purge(1)).isNotEmpty();
            for (int i = 0; i < more; i++) {
                index++;
                wal.save(new HardState(1, 1, index), List.of(Entry.normal(1, index, new byte[200])));
            }
        }
    }

    @Test
    void afterAPurgeVerifyAndDumpStartAtASnapshotTheDirectoryHolds() {
        Path dir = temp.resolve("purged");
        writePurged(dir, 0);
        long oldestSnapshot = WalDirectory.validSnapshotEntries(dir).get(0).index();
        JwalFixturesTest.Result verify = jwal("verify", dir.toString(), "--format", "json");
        assertThat(verify.status()).as(verify.err()).isZero();
        assertThat(json(verify).get("snapshot").get("index").asLong()).isGreaterThan(0);
        assertThat(jwal("dump", dir.toString()).status()).isZero();

        JwalFixturesTest.Result gone = jwal("verify", dir.toString(), "--snap-index", "0");
        assertThat(gone.status()).isEqualTo(ExitCodes.FAILED);
        assertThat(gone.err()).contains("no segment holds index 0 any more")
                .contains("snapshots it holds (--snap-index/--snap-term): ").doesNotContain("\tat ");
        assertThat(oldestSnapshot).isPositive();
    }

    /**
     * Issue 38: a raft node that installed its leader's snapshot has a log that jumps from the
     * entries it had to the ones after the snapshot; the node restarts on it, so verify, a verify
     * at that snapshot without its term, and repair's judgement of the whole directory all say
     * clean (they said corrupt, "slice bounds out of range", and advised a restore).
     */
    @Test
    void aLogThatInstalledALeadersSnapshotIsClean() {
        Path dir = temp.resolve("installed");
        try (Wal wal = Wal.create(dir, "node-2".getBytes())) {
            for (long i = 1; i <= 30; i++) {
                wal.save(new HardState(1, 1, i), List.of(Entry.normal(1, i, ("e" + i).getBytes())));
            }
            wal.saveSnapshot(WalSnapshot.of(500, 2));
            for (long i = 501; i <= 520; i++) {
                wal.save(new HardState(2, 1, i), List.of(Entry.normal(2, i, ("e" + i).getBytes())));
            }
        }
        JwalFixturesTest.Result verify = jwal("verify", dir.toString(), "--format", "json");
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        assertThat(json(verify).get("snapshot").get("index").asLong()).isEqualTo(500);
        JwalFixturesTest.Result atSnapshot = jwal("verify", dir.toString(), "--snap-index", "500");
        assertThat(atSnapshot.status()).as("the marker's term is looked up: " + atSnapshot.out()).isZero();
        assertThat(WalDirectory.examine(dir, WalOptions.defaults()).kind()).as("repair's judgement")
                .isEqualTo(WalVerdict.Kind.CLEAN);
    }

    /**
     * Issue 37: with its first segment purged and a byte changed in the last, verify exited 3
     * ("no segment starts at or before index 0") instead of giving a verdict, the very command the
     * startup failure analysis recommends.
     */
    @Test
    void aPurgedDamagedDirectoryGetsAVerdict() throws java.io.IOException {
        Path dir = temp.resolve("purged-damaged");
        // records after the damage to come, so that it cannot be read as a torn write
        writePurged(dir, 2);
        Path last;
        try (var files = Files.list(dir)) {
            last = files.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().reduce((a, b) -> b)
                    .orElseThrow();
        }
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(last.toFile(), "rw")) {
            file.seek(150);
            int b = file.read();
            file.seek(150);
            file.write(b ^ 0x40);
        }
        JwalFixturesTest.Result verify = jwal("verify", dir.toString(), "--format", "json");
        assertThat(verify.status()).as(verify.err()).isEqualTo(ExitCodes.CORRUPT);
        assertThat(verify.json().get("verdict").asString()).isEqualTo("corrupt");
        assertThat(jwal("verify", dir.toString()).out()).contains("corrupt");
    }

    private static List<String> entryData(Path dir, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("dump", dir.toString(), "--format", "json"));
        args.addAll(List.of(options));
        List<String> data = new java.util.ArrayList<>();
        for (JsonNode record : json(jwal(args.toArray(String[]::new))).get("records")) {
            if (record.get("type").asString().equals("entry")) {
                data.add(record.get("data").asString());
            }
        }
        return data;
    }

    private static JsonNode json(JwalFixturesTest.Result result) {
        assertThat(result.err()).isEmpty();
        return result.json();
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

package dev.jwal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.test.EtcdFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every command against every etcd-written fixture, checked against what etcd itself read
 * ({@code expected.json}); read-only commands run on the fixtures in place: CI fails if a test changed
 * a byte of the checked-in ones, and the shared ones are read-only files, where a command that tried
 * to write or lock would fail.
 */
class JwalFixturesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    record Fixture(String name, Path wal, JsonNode expected) {
        @Override
        public String toString() {
            return name;
        }

        JsonNode firstRead() {
            return expected.get("reads").get(0);
        }

        String snapIndex() {
            return String.valueOf(firstRead().get("snapshot").path("index").asLong(0));
        }

        /** The arguments that read it as the etcd that wrote it: 3.4's frame limit for a 3.4 fixture. */
        String[] as(String... args) {
            boolean v34 = expected.path("etcd").asString("v3.4").startsWith("v3.4");
            if (!v34) {
                return args;
            }
            String[] with = java.util.Arrays.copyOf(args, args.length + 1);
            with[args.length] = "--etcd-3.4";
            return with;
        }

        String snapTerm() {
            return String.valueOf(firstRead().get("snapshot").path("term").asLong(0));
        }
    }

    record Result(int status, String out, String err) {
        JsonNode json() {
            return JSON.readTree(out);
        }
    }

    /** Every etcd-written fixture of the build ({@link EtcdFixtures}). */
    static Stream<Fixture> fixtures() {
        List<Fixture> fixtures = new ArrayList<>();
        for (EtcdFixtures.Fixture fixture : EtcdFixtures.all()) {
            fixtures.add(new Fixture(fixture.name(), fixture.wal(), JSON.readTree(fixture.expected().toFile())));
        }
        assertThat(fixtures).as("fixtures under " + EtcdFixtures.roots()).isNotEmpty();
        return fixtures.stream();
    }

    static Result jwal(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Jwal.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void verifyGivesEtcdsVerdictAsItsExitStatus(Fixture fixture) {
        JsonNode read = fixture.firstRead();
        boolean ok = read.get("verify").get("ok").asBoolean();
        boolean torn = read.get("open").get("error").asString().startsWith("unexpected EOF");
        int expected = !ok ? ExitCodes.CORRUPT : torn ? ExitCodes.REPAIRABLE : ExitCodes.OK;

        Result result = jwal(fixture.as("verify", fixture.wal().toString(), "--snap-index", fixture.snapIndex(),
                "--snap-term", fixture.snapTerm(), "--format", "json"));

        JsonNode verdict = result.json();
        if (ok && torn && result.status() == ExitCodes.CORRUPT) {
            // Stricter than etcd, never looser: what etcd's Verify accepts and its own open refuses
            // as an unexpected EOF may be corruption that jwal will not let repair cut.
            assertThat(verdict.get("verdict").asString()).isEqualTo("corrupt");
            assertThat(verdict.get("hint").asString()).contains("restore");
            return;
        }
        assertThat(result.status()).as(result.out() + result.err()).isEqualTo(expected);
        assertThat(verdict.get("verdict").asString()).isEqualTo(!ok ? "corrupt" : torn ? "torn-tail" : "clean");
        if (ok) {
            JsonNode state = read.get("openForRead").get("state");
            JsonNode hardState = verdict.get("hardState");
            for (String field : List.of("term", "vote", "commit")) {
                assertThat(hardState.get(field).isNumber()).as(field + " is a JSON number").isTrue();
                assertThat(hardState.get(field).asLong()).as(field).isEqualTo(state.path(field).asLong());
            }
            assertThat(verdict.get("snapshot").get("index").asString()).isEqualTo(fixture.snapIndex());
        } else {
            assertThat(verdict.get("stoppedAt").get("file").asString())
                    .contains(fixture.expected().get("tear").get("file").asString());
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void dumpShowsTheEntriesEtcdReadsAndRawShowsEveryFrame(Fixture fixture) {
        JsonNode read = fixture.firstRead().get("openForRead");
        Result dump = jwal(fixture.as("dump", fixture.wal().toString(), "--snap-index", fixture.snapIndex(),
                "--snap-term", fixture.snapTerm(), "--format", "json"));
        if (read.get("error").asString().isEmpty()) {
            List<String> shown = new ArrayList<>();
            for (JsonNode record : dump.json().get("records")) {
                if (record.get("type").asString().equals("entry")) {
                    assertThat(record.get("index").isNumber()).as("index is a JSON number").isTrue();
                    shown.add(record.get("index").asLong() + "/" + record.get("term").asLong() + "/"
                            + record.get("len").asInt());
                }
            }
            List<String> etcd = new ArrayList<>();
            for (JsonNode entry : read.get("entries")) {
                etcd.add(entry.path("index").asLong() + "/" + entry.path("term").asLong() + "/"
                        + entry.path("len").asInt());
            }
            assertThat(shown).isEqualTo(etcd);
            JsonNode summary = dump.json().get("summary");
            assertThat(summary.get("entries").asLong()).isEqualTo(etcd.size());
            if (!etcd.isEmpty()) {
                assertThat(summary.get("firstIndex").asLong()).isEqualTo(read.get("entries").get(0).path("index").asLong());
                assertThat(summary.get("lastIndex").asLong())
                        .isEqualTo(read.get("entries").get(etcd.size() - 1).path("index").asLong());
            }
        }

        Result raw = jwal(fixture.as("dump", fixture.wal().toString(), "--raw", "--format", "json"));
        List<String> frames = new ArrayList<>();
        for (JsonNode record : raw.json().get("records")) {
            frames.add(record.get("segment").asString() + "@" + record.get("offset").asLong());
        }
        List<String> etcdFrames = new ArrayList<>();
        for (JsonNode record : fixture.expected().get("records")) {
            etcdFrames.add(record.get("file").asString() + "@" + record.get("offset").asLong());
        }
        // etcd's list holds every frame; a scan stops at the first bad one and shows all before it.
        assertThat(etcdFrames).startsWith(frames.toArray(String[]::new));
        if (raw.status() == ExitCodes.OK) {
            assertThat(frames).isEqualTo(etcdFrames);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void segmentsListsEveryFileAndEveryFrame(Fixture fixture) throws IOException {
        Result result = jwal(fixture.as("segments", fixture.wal().toString(), "--format", "json"));

        assertThat(result.status()).isZero();
        JsonNode segments = result.json().get("segments");
        try (Stream<Path> files = Files.list(fixture.wal())) {
            assertThat(segments.size()).isEqualTo(files.filter(p -> p.toString().endsWith(".wal")).count());
        }
        long records = 0;
        for (JsonNode segment : segments) {
            records += segment.get("records").asLong();
        }
        if (segmentsAllClean(segments)) {
            assertThat(records).isEqualTo(fixture.expected().get("records").size());
        }
    }

    private static boolean segmentsAllClean(JsonNode segments) {
        for (JsonNode segment : segments) {
            if (!segment.get("state").asString().equals("clean")) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void snapshotsAreEtcdsValidSnapshotEntries(Fixture fixture) {
        Result result = jwal(fixture.as("snapshots", fixture.wal().toString(), "--format", "json"));
        if (!fixture.expected().get("validSnapshotsError").asString().isEmpty()) {
            assertThat(result.status()).isNotZero();
            // asked for JSON, the failure is a JSON object too (issue 37), with no stack trace
            assertThat(result.err().strip()).startsWith("{").contains("\"error\": \"")
                    .contains("\"exitCode\": " + result.status()).doesNotContain("\tat ");
            return;
        }
        List<String> shown = new ArrayList<>();
        result.json().get("snapshots").forEach(s -> shown.add(s.get("index").asString() + "/" + s.get("term").asString()));
        List<String> etcd = new ArrayList<>();
        fixture.expected().get("validSnapshots").forEach(s -> etcd.add(s.path("index").asLong() + "/"
                + s.path("term").asLong()));
        assertThat(shown).isEqualTo(etcd);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void repairLeavesTheFilesEtcdsRepairLeaves(Fixture fixture) throws IOException {
        Path copy = temp.resolve("wal");
        Files.createDirectories(copy);
        java.util.Map<String, byte[]> before = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(fixture.wal())) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
                copy.resolve(file.getFileName()).toFile().setWritable(true);
                before.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }

        Result result = jwal(fixture.as("repair", copy.toString(), "--yes", "--format", "json"));

        assertThat(result.status()).as(result.out() + result.err()).isIn(ExitCodes.OK, ExitCodes.CORRUPT);
        List<String> left = new ArrayList<>();
        try (Stream<Path> files = Files.list(copy)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wal") || n.endsWith(".broken"))
                    .sorted().forEach(left::add);
        }
        if (result.status() == ExitCodes.CORRUPT) {
            // Refused (etcd's Repair may have cut it, or looked at the last segment alone): every
            // file is as it was, and the advice names both ways out.
            for (var file : before.entrySet()) {
                assertThat(copy.resolve(file.getKey())).as(file.getKey()).hasBinaryContent(file.getValue());
            }
            assertThat(left).as("no new .broken copy").allMatch(before::containsKey);
            assertThat(result.json().get("hint").asString()).contains("restore");
            return;
        }
        List<String> etcd = new ArrayList<>();
        fixture.expected().get("afterRepair").get("files").forEach(f -> etcd.add(f.asString()));
        assertThat(left).isEqualTo(etcd.stream().sorted().toList());
        if (result.status() == ExitCodes.OK && left.stream().anyMatch(n -> n.endsWith(".broken"))) {
            assertThat(result.out()).contains("repaired: cut at offset");
            assertThat(jwal(fixture.as("verify", copy.toString())).status()).isZero();
        }
    }
}

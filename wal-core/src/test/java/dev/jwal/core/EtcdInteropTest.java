package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * jwal against etcd, on every fixture folder written by etcd's own code ({@code shared/fixtures/etcd},
 * or the folder named by {@code -Djwal.interop.fixtures}): jwal must read each WAL exactly as
 * etcd says it does, and replaying each fixture's operations must write the same bytes.
 *
 * <p>Nothing here knows a fixture by name: every check is driven by the fixture's own
 * {@code spec.json} and {@code expected.json}, so any etcd-written data in that layout can be
 * pointed at.
 */
class EtcdInteropTest {

    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicNode> everyFixture() {
        List<EtcdFixture> fixtures = EtcdFixture.all();
        assertThat(fixtures).as("fixtures under %s", EtcdFixture.fixtureRoots()).isNotEmpty();
        return fixtures.stream().map(f -> dynamicContainer(f.name(), Stream.of(
                dynamicTest("openForRead + readAll as etcd", () -> readsAsEtcd(f, false)),
                dynamicTest("open + readAll as etcd (on a copy)", () -> readsAsEtcd(f, true)),
                dynamicTest("verify as etcd", () -> verifiesAsEtcd(f)),
                dynamicTest("a wrong term is a snapshot mismatch", () -> mismatchAsEtcd(f)),
                dynamicTest("validSnapshotEntries as etcd", () -> validSnapshotsAsEtcd(f)),
                dynamicTest("repair as etcd (on a copy)", () -> repairsAsEtcd(f)),
                dynamicTest("every frame as etcd lists it", () -> framesAsEtcd(f)),
                dynamicTest("replaying spec.json writes etcd's bytes", () -> replayWritesEtcdBytes(f)),
                dynamicTest("one verdict from every entry point (on a copy)", () -> oneVerdict(f)))));
    }

    private void readsAsEtcd(EtcdFixture fixture, boolean writeMode) throws IOException {
        for (JsonNode read : fixture.expected().path("reads")) {
            WalSnapshot snapshot = EtcdFixture.snapshot(read.path("snapshot"));
            JsonNode expected = read.path(writeMode ? "open" : "openForRead");
            Path dir = writeMode ? copyOf(fixture.wal()) : fixture.wal();
            String context = fixture.name() + " at " + snapshot + (writeMode ? " (open)" : " (openForRead)");
            checkRead(context, expected, () -> {
                Wal wal = writeMode ? Wal.open(dir, snapshot, fixture.options())
                        : Wal.openForRead(dir, snapshot, fixture.options());
                try (wal) {
                    return wal.readAll();
                }
            });
        }
    }

    /**
     * {@link WalDirectory#examine} over every segment and at each read's snapshot, startup (open and read),
     * verify and repair all call the fixture the same thing; a repair cuts only a torn tail.
     */
    private void oneVerdict(EtcdFixture fixture) throws IOException {
        Path dir = copyOf(fixture.wal());
        WalVerdict.Kind all = WalDirectory.examine(dir, fixture.options()).kind();
        for (JsonNode read : fixture.expected().path("reads")) {
            WalSnapshot snapshot = EtcdFixture.snapshot(read.path("snapshot"));
            String context = fixture.name() + " at " + snapshot;
            WalVerdict.Kind kind = WalDirectory.examine(dir, snapshot, fixture.options()).kind();
            if (snapshot.index() == 0) {
                assertThat(kind).as(context + ": over everything and at 0").isEqualTo(all);
            }
            OneVerdict.startupAndVerifyAgree(context, dir, snapshot, fixture.options(), kind);
        }
        if (all == WalVerdict.Kind.CORRUPT) {
            assertThatThrownBy(() -> WalDirectory.repair(dir, fixture.options())).as(fixture.name() + " repair")
                    .isInstanceOf(WalException.class);
        } else {
            assertThat(WalDirectory.repair(dir, fixture.options()).truncated()).as(fixture.name() + " repair cuts").isEqualTo(
                    all == WalVerdict.Kind.TORN_TAIL);
            assertThat(WalDirectory.examine(dir, fixture.options()).kind()).as(fixture.name() + " after repair")
                    .isEqualTo(WalVerdict.Kind.CLEAN);
        }
    }

    private void verifiesAsEtcd(EtcdFixture fixture) {
        for (JsonNode read : fixture.expected().path("reads")) {
            WalSnapshot snapshot = EtcdFixture.snapshot(read.path("snapshot"));
            JsonNode verify = read.path("verify");
            if (verify.path("ok").asBoolean(false)) {
                try {
                    WalDirectory.verifyOrThrow(fixture.wal(), snapshot, fixture.options());
                } catch (WalException stricter) {
                    expectStricterThanEtcd(fixture.name() + " verify at " + snapshot, read, stricter);
                }
            } else {
                expectKind(fixture.name() + " verify", verify.path("error").asString(""),
                        () -> WalDirectory.verifyOrThrow(fixture.wal(), snapshot, fixture.options()));
            }
        }
    }

    private void mismatchAsEtcd(EtcdFixture fixture) {
        JsonNode mismatch = fixture.expected().path("mismatch");
        if (mismatch.isMissingNode()) {
            return;
        }
        WalSnapshot snapshot = EtcdFixture.snapshot(mismatch.path("snapshot"));
        checkRead(fixture.name() + " mismatch", mismatch.path("openForRead"), () -> {
            try (Wal wal = Wal.openForRead(fixture.wal(), snapshot, fixture.options())) {
                return wal.readAll();
            }
        });
    }

    private void validSnapshotsAsEtcd(EtcdFixture fixture) {
        String error = fixture.expected().path("validSnapshotsError").asString("");
        if (!error.isEmpty()) {
            expectKind(fixture.name() + " validSnapshotEntries", error,
                    () -> WalDirectory.validSnapshotEntries(fixture.wal(), fixture.options()));
            return;
        }
        List<WalSnapshot> expected = new ArrayList<>();
        for (JsonNode s : fixture.expected().path("validSnapshots")) {
            expected.add(EtcdFixture.snapshotWithConfState(s));
        }
        assertThat(WalDirectory.validSnapshotEntries(fixture.wal(), fixture.options())).as(fixture.name()).isEqualTo(expected);
    }

    private void repairsAsEtcd(EtcdFixture fixture) throws IOException {
        JsonNode repair = fixture.expected().path("repair");
        if (repair.isMissingNode()) {
            return;
        }
        Path dir = copyOf(fixture.wal());
        Map<String, byte[]> before = contentsOf(dir);
        boolean repaired;
        try {
            WalDirectory.repair(dir, fixture.options());
            repaired = true;
        } catch (WalCorruptionException | UnexpectedEofException notRepairable) {
            repaired = false;
            if (repair.path("repaired").asBoolean()) {
                // etcd's Repair reads the last segment alone and cuts at any unexpected EOF
                expectStricterThanEtcd(fixture.name() + " repair", fixture.expected().path("reads").path(0),
                        notRepairable);
                assertThat(contentsOf(dir)).as(fixture.name() + ": a refused repair changes nothing")
                        .containsExactlyInAnyOrderEntriesOf(before);
                return;
            }
        }
        assertThat(repaired).as(fixture.name() + " repaired").isEqualTo(repair.path("repaired").asBoolean());
        JsonNode after = fixture.expected().path("afterRepair");
        if (after.isMissingNode()) {
            return;
        }
        checkRead(fixture.name() + " after repair", after.path("open"), () -> {
            try (Wal wal = Wal.open(dir, WalSnapshot.ZERO, fixture.options())) {
                return wal.readAll();
            }
        });
        List<String> expectedFiles = new ArrayList<>();
        after.path("files").forEach(n -> expectedFiles.add(n.asString()));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".wal") || n.endsWith(".broken")).sorted())
                    .as(fixture.name() + " files after repair").containsExactlyElementsOf(expectedFiles);
        }
    }

    /**
     * Every frame jwal decodes, file by file, is the frame etcd listed at that offset; in a file
     * that was not damaged after writing, jwal decodes them all, and in a damaged one, at least
     * all that end before the damage.
     */
    private void framesAsEtcd(EtcdFixture fixture) throws IOException {
        JsonNode records = fixture.expected().path("records");
        if (records.isMissingNode()) {
            return;
        }
        JsonNode tear = fixture.expected().path("tear");
        for (SegmentName name : SegmentDirectory.list(RealDisk.INSTANCE, fixture.wal())) {
            List<String> expected = new ArrayList<>();
            List<Long> ends = new ArrayList<>();
            for (JsonNode r : records) {
                if (r.path("file").asString().equals(name.fileName())) {
                    expected.add(frame(r.path("offset").asLong(), r.path("type").asLong(), r.path("len").asLong(),
                            r.path("pad").asLong(), r.path("crc").asLong(), r.path("dataLen").asLong()));
                    ends.add(r.path("offset").asLong() + 8 + r.path("len").asLong() + r.path("pad").asLong());
                }
            }
            List<String> actual = framesOf(fixture.wal().resolve(name.fileName()));
            String context = fixture.name() + " " + name;
            if (!tear.isObject() || !tear.path("file").asString().equals(name.fileName())) {
                assertThat(actual).as(context).containsExactlyElementsOf(expected);
                continue;
            }
            long damageStart = damageRange(tear)[0];
            long intact = ends.stream().filter(end -> end <= damageStart).count();
            assertThat(expected).as(context).startsWith(actual.toArray(String[]::new));
            assertThat(actual.size()).as(context + ": frames before the damage at " + damageStart)
                    .isGreaterThanOrEqualTo((int) intact);
        }
    }

    private static List<String> framesOf(Path file) throws IOException {
        List<String> frames = new ArrayList<>();
        try (DiskFile handle = RealDisk.INSTANCE.openForRead(file)) {
            FrameDecoder decoder = new FrameDecoder(List.of(new FrameDecoder.Source(file, handle)),
                    WalOptions.DEFAULT_MAX_RECORD_SIZE);
            RecordView record = new RecordView();
            while (decoder.next(record)) {
                frames.add(frame(decoder.recordOffset(), record.type(), decoder.recordBytes(), decoder.recordPadding(),
                        Integer.toUnsignedLong(record.crc()), record.dataLength()));
            }
        } catch (WalException stopped) {
            // a damaged file: the frames before the damage are what is compared
        }
        return frames;
    }

    private static String frame(long offset, long type, long length, long padding, long crc, long dataLength) {
        return "offset=" + offset + " type=" + type + " len=" + length + " pad=" + padding + " crc=" + crc
                + " dataLen=" + dataLength;
    }

    /** Replays {@code spec.json} with jwal and compares every segment with etcd's, byte for byte. */
    private void replayWritesEtcdBytes(EtcdFixture fixture) throws IOException {
        JsonNode spec = fixture.spec();
        Path out = Paths.get("target", "interop", fixture.name(), "wal").toAbsolutePath();
        RealDisk.INSTANCE.deleteRecursively(out.getParent());
        Files.createDirectories(out.getParent());
        WalOptions options = WalOptions.builder()
                .segmentSize(spec.path("segmentSize").asLong(WalOptions.DEFAULT_SEGMENT_SIZE))
                .syncPolicy(SyncPolicy.NONE).preallocate(false).build();
        Wal wal = Wal.create(out, EtcdFixture.base64(spec.get("metadata")), options);
        try {
            for (JsonNode op : spec.path("ops")) {
                switch (op.path("op").asString()) {
                    case "save" -> wal.save(EtcdFixture.hardState(op.path("state")),
                            EtcdFixture.entries(op.path("entries")));
                    case "snapshot" -> wal.saveSnapshot(fixture.snapshotOp(op));
                    case "sync" -> wal.sync();
                    case "releaseLockTo" -> wal.releaseLockTo(op.path("index").asLong());
                    default -> fail("unknown op in " + fixture.name() + ": " + op);
                }
            }
        } finally {
            if (spec.path("close").asBoolean(true)) {
                wal.close();
            } else {
                wal.engine.abandon();
            }
        }

        List<String> etcdSegments = segmentNames(fixture.wal());
        assertThat(segmentNames(out)).as(fixture.name() + " segments").containsExactlyElementsOf(etcdSegments);
        JsonNode tear = fixture.expected().path("tear");
        for (String name : etcdSegments) {
            byte[] etcd = Files.readAllBytes(fixture.wal().resolve(name));
            byte[] ours = Files.readAllBytes(out.resolve(name));
            boolean damaged = tear.isObject() && tear.path("file").asString().equals(name);
            compareBytes(fixture.name() + " " + name, etcd, ours, damaged ? tear : null);
        }
    }

    private static void compareBytes(String context, byte[] etcd, byte[] ours, JsonNode tear) {
        if (tear == null) {
            assertThat(ours.length).as(context + " length").isEqualTo(etcd.length);
            assertThat(firstDifference(etcd, ours, 0, etcd.length, -1, -1)).as(context + " first differing byte")
                    .isEqualTo(-1);
            return;
        }
        long[] damage = damageRange(tear);
        if (damage[1] == Long.MAX_VALUE) {
            int intact = (int) Math.min(damage[0], etcd.length);
            assertThat(ours.length).as(context + " length").isGreaterThanOrEqualTo(intact);
            assertThat(firstDifference(etcd, ours, 0, intact, -1, -1)).as(context + " first differing byte")
                    .isEqualTo(-1);
            return;
        }
        assertThat(ours.length).as(context + " length").isEqualTo(etcd.length);
        assertThat(firstDifference(etcd, ours, 0, etcd.length, damage[0], damage[1]))
                .as(context + " first differing byte outside the damage " + damage[0] + ".." + damage[1])
                .isEqualTo(-1);
    }

    /**
     * The damaged byte range {@code [start, end)} a tear describes, from whichever fields it has:
     * a cut ({@code truncatedTo}), zeroed bytes ({@code zeroedFrom}, {@code zeroedBytes}) or one
     * changed byte ({@code offset}); a tear of any other shape is taken to damage the whole file.
     */
    private static long[] damageRange(JsonNode tear) {
        if (tear.has("truncatedTo")) {
            return new long[] {tear.path("truncatedTo").asLong(), Long.MAX_VALUE};
        }
        if (tear.has("zeroedFrom")) {
            long from = tear.path("zeroedFrom").asLong();
            return new long[] {from, from + tear.path("zeroedBytes").asLong(512)};
        }
        if (tear.has("offset")) {
            long at = tear.path("offset").asLong();
            return new long[] {at, at + tear.path("length").asLong(1)};
        }
        return new long[] {0, Long.MAX_VALUE};
    }

    private static int firstDifference(byte[] a, byte[] b, int from, int to, long skipFrom, long skipTo) {
        for (int i = from; i < to; i++) {
            if ((i < skipFrom || i >= skipTo) && a[i] != b[i]) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> segmentNames(Path dir) {
        return SegmentDirectory.list(RealDisk.INSTANCE, dir).stream().map(SegmentName::fileName).toList();
    }

    /**
     * jwal refuses more than etcd does, never less: where etcd's Verify or Repair accepts a
     * directory and jwal does not, jwal's verdict must be corruption, and etcd itself must fail to
     * open the directory for writing (so a node would not have started on it either).
     */
    private static void expectStricterThanEtcd(String context, JsonNode read, WalException refusal) {
        assertThat(WalVerdict.kindOf(refusal)).as(context + ": refused with " + refusal)
                .isEqualTo(WalVerdict.Kind.CORRUPT);
        assertThat(read.path("open").path("error").asString("")).as(context + ": etcd's own open of a directory"
                + " jwal calls corrupt (" + refusal.getMessage() + ")").isNotEmpty();
    }

    private static Map<String, byte[]> contentsOf(Path dir) throws IOException {
        Map<String, byte[]> contents = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                contents.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return contents;
    }

    /** Compares a read with etcd's: the kind of error, and when there is none, everything read. */
    private static void checkRead(String context, JsonNode expected, Supplier<WalContents> read) {
        String error = expected.path("error").asString("");
        Class<? extends WalException> kind = EtcdFixture.errorKind(error);
        WalContents contents;
        if (kind == null) {
            contents = read.get();
        } else if (kind == SnapshotNotFoundException.class) {
            SnapshotNotFoundException notFound = catchKind(context, SnapshotNotFoundException.class, read::get);
            contents = notFound.contents();
        } else {
            expectKind(context, error, read::get);
            return;
        }
        assertThat(HEX.formatHex(Objects.requireNonNullElse(contents.metadata(), new byte[0])))
                .as(context + " metadata").isEqualTo(expected.path("metadata").asString(""));
        assertThat(contents.hardState()).as(context + " state").isEqualTo(EtcdFixture.hardState(expected.path("state")));
        List<String> expectedEntries = new ArrayList<>();
        for (JsonNode e : expected.path("entries")) {
            expectedEntries.add(describe(e.path("index").asLong(), e.path("term").asLong(), e.path("type").asLong(),
                    e.path("len").asLong(), e.path("nil").asBoolean(), e.path("sha256").asString()));
        }
        List<String> actualEntries = contents.entries().stream().map(e -> describe(e.index(), e.term(),
                e.type().number(), e.dataLength(), e.data() == null, sha256(e.data()))).toList();
        assertThat(actualEntries).as(context + " entries").containsExactlyElementsOf(expectedEntries);
    }

    private static String describe(long index, long term, long type, long length, boolean nil, String sha256) {
        return "index=" + index + " term=" + term + " type=" + type + " len=" + length + " nil=" + nil + " sha256="
                + sha256;
    }

    private static String sha256(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data == null ? new byte[0] : data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void expectKind(String context, String etcdError, Runnable call) {
        Class<? extends WalException> kind = EtcdFixture.errorKind(etcdError);
        assertThatThrownBy(call::run).as(context + ": etcd says \"" + etcdError + "\"").isInstanceOf(kind);
    }

    private static <T extends WalException> T catchKind(String context, Class<T> kind, Runnable call) {
        try {
            call.run();
        } catch (WalException e) {
            assertThat(e).as(context).isInstanceOf(kind);
            return kind.cast(e);
        }
        throw new AssertionError(context + ": expected " + kind.getSimpleName());
    }

    private Path copyOf(Path wal) throws IOException {
        Path copy = Files.createTempDirectory(temp, "wal");
        try (Stream<Path> files = Files.list(wal)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(file.getFileName());
                Files.copy(file, target);
                target.toFile().setWritable(true, true);
            }
        }
        return copy;
    }
}

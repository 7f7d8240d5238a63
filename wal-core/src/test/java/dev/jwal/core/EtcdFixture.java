package dev.jwal.core;

import dev.jwal.test.EtcdFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WAL directory written by etcd's own code, with the operations that made it ({@code spec.json})
 * and what etcd reads back from it ({@code expected.json}): see {@code src/test/resources/etcd/README.md}.
 */
record EtcdFixture(String name, Path root, JsonNode spec, JsonNode expected) {

    /**
     * The options to read this fixture as the etcd that wrote it: 3.4's frame limit for a 3.4
     * fixture (its {@code etcd} field, or none), the default (bounded by the file) for later ones.
     */
    WalOptions options() {
        String version = expected.path("etcd").asString("v3.4");
        return version.startsWith("v3.4") ? WalOptions.builder().frameRule(FrameRule.ETCD_3_4).build()
                : WalOptions.defaults();
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The folders fixtures are taken from ({@link EtcdFixtures#roots()}). */
    static List<Path> fixtureRoots() {
        return EtcdFixtures.roots();
    }

    /** Every fixture whose operations were recorded ({@code spec.json}), as etcd wrote and read it. */
    static List<EtcdFixture> all() {
        List<EtcdFixture> fixtures = new ArrayList<>();
        for (EtcdFixtures.Fixture fixture : EtcdFixtures.all()) {
            if (fixture.hasSpec()) {
                fixtures.add(new EtcdFixture(fixture.name(), fixture.folder(), JSON.readTree(fixture.spec().toFile()),
                        JSON.readTree(fixture.expected().toFile())));
            }
        }
        return fixtures;
    }

    Path wal() {
        return root.resolve("wal");
    }

    static WalSnapshot snapshot(JsonNode node) {
        return WalSnapshot.of(node.path("index").asLong(0), node.path("term").asLong(0));
    }

    /**
     * A snapshot with its {@code confState} as the fixture gives it: an object is that ConfState
     * (absent lists empty), {@code null} none. In a spec's snapshot op etcd 3.6 always writes
     * one, an empty {@code {}} when the spec names none, while 3.4 writes none.
     */
    WalSnapshot snapshotOp(JsonNode op) {
        JsonNode node = op.path("confState");
        boolean v34 = expected.path("etcd").asString("v3.4").startsWith("v3.4");
        ConfState state = node.isObject() ? confState(node) : node.isMissingNode() && !v34
                ? new ConfState(List.of(), List.of(), List.of(), List.of(), false) : null;
        return new WalSnapshot(op.path("index").asLong(0), op.path("term").asLong(0), state);
    }

    /** A valid snapshot entry of {@code expected.json}, with its ConfState when it names one. */
    static WalSnapshot snapshotWithConfState(JsonNode node) {
        JsonNode state = node.path("confState");
        return new WalSnapshot(node.path("index").asLong(0), node.path("term").asLong(0),
                state.isObject() ? confState(state) : null);
    }

    private static ConfState confState(JsonNode node) {
        return new ConfState(ids(node.path("voters")), ids(node.path("learners")), ids(node.path("votersOutgoing")),
                ids(node.path("learnersNext")), node.path("autoLeave").asBoolean(false));
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    static HardState hardState(JsonNode node) {
        return new HardState(node.path("term").asLong(0), node.path("vote").asLong(0), node.path("commit").asLong(0));
    }

    static byte[] base64(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : Base64.getDecoder().decode(node.asString());
    }

    /** The spec's entries, with {@code data} absent as {@code null} and {@code ""} as empty. */
    static List<Entry> entries(JsonNode array) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : array) {
            entries.add(Entry.ofTypeNumber(e.path("term").asLong(0), e.path("index").asLong(0),
                    e.path("type").asInt(0), base64(e.get("data"))));
        }
        return entries;
    }

    /**
     * The exception class that stands for an etcd error message (the README's table), or
     * {@code null} for the empty message.
     */
    static Class<? extends WalException> errorKind(String etcdMessage) {
        if (etcdMessage == null || etcdMessage.isEmpty()) {
            return null;
        }
        return ERROR_KINDS.entrySet().stream().filter(kind -> etcdMessage.startsWith(kind.getKey()))
                .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "an etcd error the fixtures README does not list: " + etcdMessage));
    }

    /** The README's table: the start of etcd's message, and the jwal error that stands for it. */
    private static final Map<String, Class<? extends WalException>> ERROR_KINDS = Map.ofEntries(
            Map.entry("unexpected EOF", UnexpectedEofException.class),
            Map.entry("walpb: crc mismatch", CrcMismatchException.class),
            Map.entry("wal: crc mismatch", CrcMismatchException.class),
            Map.entry("wal: max entry size limit exceeded", FrameTooLargeException.class),
            Map.entry("proto:", RecordDecodeException.class),
            Map.entry("unexpected block type", UnknownRecordTypeException.class),
            Map.entry("wal: snapshot mismatch", SnapshotMismatchException.class),
            Map.entry("wal: snapshot not found", SnapshotNotFoundException.class),
            Map.entry("wal: metadata conflict", MetadataConflictException.class),
            Map.entry("wal: file not found", NoWalFilesException.class),
            Map.entry("wal: slice bounds out of range", SliceOutOfRangeException.class));

    @Override
    public String toString() {
        return name;
    }
}

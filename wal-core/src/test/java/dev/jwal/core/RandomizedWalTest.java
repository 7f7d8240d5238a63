package dev.jwal.core;

import static dev.jwal.core.WalFixtures.METADATA;
import static dev.jwal.core.WalFixtures.small;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.engine.segment.SegmentName;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random workloads against a model of the raft log. A failure names its seed in the test's
 * display name; rerun one with {@code -Dtest='RandomizedWalTest#*' -Djwal.seed=N}.
 */
class RandomizedWalTest {

    @TempDir
    Path temp;

    static LongStream seeds() {
        String one = System.getProperty("jwal.seed", "");
        return one.isBlank() ? LongStream.rangeClosed(1, 40) : LongStream.of(Long.parseLong(one));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomSavesSnapshotsCutsAndReopensGiveBackWhatWasSaved(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = temp.resolve("wal");
        WalOptions options = small().segmentSize(new long[] {104, 4096, 16384}[random.nextInt(3)]).build();
        RaftLogModel model = new RaftLogModel();
        Wal wal = Wal.create(dir, METADATA, options);
        try {
            for (int step = 0; step < 300; step++) {
                int op = random.nextInt(100);
                if (op < 75) {
                    RaftLogModel.Save save = model.nextSave(random, true);
                    wal.save(save.state(), save.entries());
                    model.apply(save.state(), save.entries());
                } else if (op < 83 && model.state.commit() > 0) {
                    long index = random.nextLong(1, model.state.commit() + 1);
                    Entry at = model.log.stream().filter(e -> e.index() == index).findFirst().orElse(null);
                    if (at != null) {
                        WalSnapshot snapshot = WalSnapshot.of(index, at.term());
                        wal.saveSnapshot(snapshot);
                        model.snapshots.add(snapshot);
                    }
                } else if (op < 88) {
                    wal.sync();
                } else if (op < 92) {
                    wal.releaseLockTo(random.nextLong(0, model.lastIndex() + 2));
                } else {
                    wal.close();
                    wal = Wal.open(dir, WalSnapshot.ZERO, options);
                    WalContents contents = wal.readAll();
                    assertThat(contents.entries()).as("seed %d step %d", seed, step).isEqualTo(model.log);
                    assertThat(contents.hardState()).as("seed %d step %d", seed, step).isEqualTo(model.state);
                }
            }
        } finally {
            wal.close();
        }
        for (WalSnapshot snapshot : model.snapshots) {
            try (Wal reader = Wal.openForRead(dir, snapshot, options)) {
                WalContents contents = reader.readAll();
                assertThat(contents.entries()).as("seed %d at %s", seed, snapshot)
                        .isEqualTo(model.after(snapshot.index()));
                assertThat(contents.hardState()).isEqualTo(model.state);
                assertThat(contents.metadata()).isEqualTo(METADATA);
            }
        }
        assertThat(WalDirectory.verifyOrThrow(dir, WalSnapshot.ZERO, options)).isEqualTo(model.state);
        assertThat(WalDirectory.validSnapshotEntries(dir, options)).as("seed %d", seed).containsExactlyElementsOf(
                model.snapshots.stream().filter(s -> s.index() <= model.state.commit()).toList());
    }

    /** A closed multi-segment WAL and what it holds. */
    private record Built(Path dir, RaftLogModel model, WalOptions options) {
    }

    private Built build(long seed, int saves) {
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = temp.resolve("wal-" + seed);
        WalOptions options = small().build();
        RaftLogModel model = new RaftLogModel();
        try (Wal wal = Wal.create(dir, METADATA, options)) {
            for (int i = 0; i < saves; i++) {
                List<Entry> batch = model.nextBatch(random);
                long lastAfter = batch.isEmpty() ? model.lastIndex() : batch.get(batch.size() - 1).index();
                HardState state = model.nextState(random, lastAfter);
                wal.save(state, batch);
                model.apply(state, batch);
            }
        }
        return new Built(dir, model, options);
    }

    /**
     * Random corruption never yields a wrong entry: reading either fails with a typed error, or
     * gives back exactly what was saved, or (a torn-looking tail) a prefix of it, flagged.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomCorruptionIsDetectedNeverMisread(long seed) throws IOException {
        Built built = build(seed, 60);
        SplittableRandom random = new SplittableRandom(seed * 7919);
        List<Path> files = segmentFiles(built.dir());
        for (int trial = 0; trial < 25; trial++) {
            Path file = files.get(random.nextInt(files.size()));
            long size = Files.size(file);
            int damaged = random.nextInt(1, 4);
            long[] positions = new long[damaged];
            byte[] saved = new byte[damaged];
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                for (int i = 0; i < damaged; i++) {
                    positions[i] = random.nextLong(0, size);
                    raf.seek(positions[i]);
                    saved[i] = (byte) raf.read();
                    raf.seek(positions[i]);
                    raf.write(saved[i] ^ (1 + random.nextInt(255)));
                }
            }
            checkNeverMisread("seed " + seed + " trial " + trial + " " + file.getFileName(), built);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                for (int i = damaged - 1; i >= 0; i--) {
                    raf.seek(positions[i]);
                    raf.write(saved[i]);
                }
            }
        }
    }

    /**
     * etcd's ReadAllFail, every byte: each single-byte corruption of a closed multi-segment WAL is
     * either detected as a typed error or harmless, and harmless only in padding or in the zeros
     * after the last record of a segment.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("everyByteSeeds")
    void everySingleByteCorruptionIsDetectedOrHarmless(long seed) throws IOException {
        Built built = build(seed, 25);
        List<Path> files = segmentFiles(built.dir());
        assertThat(files).hasSizeGreaterThan(1);
        int detected = 0;
        int harmless = 0;
        for (Path file : files) {
            List<WalFrames.Frame> frames = WalFrames.list(file);
            long end = frames.get(frames.size() - 1).end();
            byte[] bytes = Files.readAllBytes(file);
            List<String> records = WalFrames.records(file);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                for (int pos = 0; pos < bytes.length; pos++) {
                    raf.seek(pos);
                    raf.write(bytes[pos] ^ 0x5A);
                    String context = "seed " + seed + " " + file.getFileName() + " byte " + pos;
                    if (checkNeverMisread(context, built)) {
                        harmless++;
                        long at = pos;
                        boolean padding = frames.stream().anyMatch(f -> at >= f.recordEnd() && at < f.end());
                        if (!padding && pos < end) {
                            // harmless only because the record still decodes to the same fields
                            // (say, a tag turned into an unknown field that is skipped)
                            assertThat(WalFrames.records(file)).as(context + " is harmless outside padding and tail")
                                    .isEqualTo(records);
                        }
                    } else {
                        detected++;
                    }
                    raf.seek(pos);
                    raf.write(bytes[pos]);
                }
            }
        }
        assertThat(detected).isPositive();
        assertThat(harmless).isPositive();
    }

    static LongStream everyByteSeeds() {
        return LongStream.of(1, 2);
    }

    /** True when the corruption changed nothing that is read; false when it was caught. */
    private static boolean checkNeverMisread(String context, Built built) {
        RaftLogModel model = built.model();
        WalContents contents;
        try (Wal wal = Wal.openForRead(built.dir(), WalSnapshot.ZERO, built.options())) {
            contents = wal.readAll();
        } catch (WalException caught) {
            return false;
        }
        assertThat(contents.metadata()).as(context).isEqualTo(METADATA);
        Map.Entry<List<Entry>, HardState> read = Map.entry(contents.entries(), contents.hardState());
        if (contents.tornTail().isPresent()) {
            // the tail looked torn: what is read must be the log as it stood after some record
            assertThat(model.afterEachRecord).as(context + ": a torn tail leaves the log as it once was")
                    .contains(read);
            return false;
        }
        assertThat(read).as(context + ": read without error, so exactly what was saved")
                .isEqualTo(Map.entry(model.log, model.state));
        return true;
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> SegmentName.parse(p.getFileName().toString()).isPresent()).sorted().toList();
        }
    }
}

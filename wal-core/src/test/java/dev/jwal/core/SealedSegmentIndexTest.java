package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads by index from sealed segments, which keep a sample every few KiB in a checksummed index
 * file instead of each entry's position: whatever happened to the index files (missing, torn,
 * damaged, another segment's), reads return exactly the log; damage in a segment itself is named
 * as a full read names it.
 */
class SealedSegmentIndexTest {

    private static final int ENTRIES = 1500;

    @TempDir
    Path temp;

    private Path dir;
    private final List<Entry> written = new ArrayList<>();

    private WalOptions options() {
        return WalFixtures.small().segmentSize(16 << 10).build();
    }

    /** A log of {@link #ENTRIES} entries of 100 bytes over a dozen small segments, closed. */
    private void writeLog() {
        dir = temp.resolve("wal");
        try (Wal wal = Wal.create(dir, WalFixtures.METADATA, options())) {
            for (long index = 1; index <= ENTRIES; index += 10) {
                List<Entry> entries = WalFixtures.entries(1, index, index + 9, 100);
                wal.save(new HardState(1, 1, index + 9), entries);
                written.addAll(entries);
            }
        }
    }

    private Wal reopen() {
        Wal wal = Wal.open(dir, WalSnapshot.ZERO, options());
        wal.readAll();
        return wal;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    private List<Path> indexFiles() throws IOException {
        Path index = dir.resolve(WalDirectory.INDEX_DIRECTORY);
        if (!Files.isDirectory(index)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(index)) {
            return files.filter(p -> p.toString().endsWith(".idx")).sorted().toList();
        }
    }

    /** Every entry, in ranges of every few sizes, and a few hundred single entries at random. */
    private void assertReadsTheLog(Wal wal, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        assertThat(wal.entries(1, ENTRIES + 1)).isEqualTo(written);
        for (int i = 0; i < 300; i++) {
            long from = random.nextLong(1, ENTRIES + 1);
            long to = Math.min(ENTRIES + 1, from + 1 + random.nextInt(random.nextBoolean() ? 3 : 200));
            assertThat(wal.entries(from, to)).as("seed %d: [%d, %d)", seed, from, to)
                    .isEqualTo(written.subList((int) from - 1, (int) to - 1));
        }
    }

    @Test
    void eachSealedSegmentGetsAnIndexFileAndTheTailNone() throws IOException {
        writeLog();

        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(10);
        assertThat(indexFiles()).extracting(p -> p.getFileName().toString())
                .containsExactlyElementsOf(segments.subList(0, segments.size() - 1).stream()
                        .map(p -> p.getFileName() + ".idx").toList());
        try (Wal wal = reopen()) {
            wal.engine.forgetCachedSamples();
            assertReadsTheLog(wal, 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deleted", "emptied", "torn", "flipped", "another segment's",
        "another segment's, made to fit"})
    void whateverHappenedToTheIndexFilesReadsReturnTheLogAndTheFilesAreMadeAgain(String what) throws IOException {
        writeLog();
        List<Path> files = indexFiles();
        List<byte[]> intact = new ArrayList<>();
        for (Path file : files) {
            intact.add(Files.readAllBytes(file));
        }
        try (Wal wal = reopen()) {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                switch (what) {
                    case "deleted" -> Files.delete(file);
                    case "emptied" -> Files.write(file, new byte[0]);
                    case "torn" -> Files.write(file, java.util.Arrays.copyOf(intact.get(i), intact.get(i).length / 2));
                    case "flipped" -> flip(file, intact.get(i).length / 2);
                    case "another segment's" -> Files.write(file, intact.get((i + 1) % files.size()));
                    default -> Files.write(file, fitted(intact.get((i + 1) % files.size()), segments().get(i)));
                }
            }
            wal.engine.forgetCachedSamples();

            assertReadsTheLog(wal, what.hashCode());
        }
        for (int i = 0; i < files.size(); i++) {
            assertThat(files.get(i)).as(what).exists().hasBinaryContent(intact.get(i));
        }
    }

    @Test
    void deletingTheIndexDirectoryIsSafe() throws IOException {
        writeLog();
        try (Stream<Path> all = Files.walk(dir.resolve(WalDirectory.INDEX_DIRECTORY))) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }

        try (Wal wal = reopen()) {
            assertReadsTheLog(wal, 7);
        }
        assertThat(indexFiles()).hasSize(segments().size() - 1);
        assertThat(WalDirectory.examine(dir, WalSnapshot.ZERO).kind()).isEqualTo(WalVerdict.Kind.CLEAN);
    }

    @Test
    void damageInASealedSegmentAfterTheOpenIsNamedAsAFullReadNamesIt() throws IOException {
        writeLog();
        Path middle = segments().get(segments().size() / 2);
        WalFrames.Frame victim = WalFrames.list(middle).stream().filter(f -> f.entryIndex() > 0)
                .skip(20).findFirst().orElseThrow();
        long damagedIndex = victim.entryIndex();
        WalException fromRead;
        try (Wal wal = reopen()) {
            flip(middle, victim.recordEnd() - 5);
            wal.engine.forgetCachedSamples();

            assertThat(wal.entries(1, damagedIndex)).as("what lies before the damage reads back")
                    .isEqualTo(written.subList(0, (int) damagedIndex - 1));
            fromRead = org.assertj.core.api.Assertions.catchThrowableOfType(WalException.class,
                    () -> wal.entries(damagedIndex, damagedIndex + 1));
            assertThatThrownBy(() -> wal.entries(damagedIndex, ENTRIES + 1)).isInstanceOf(fromRead.getClass());
        }
        WalException fromFullRead = WalDirectory.examine(dir, WalSnapshot.ZERO).problem();
        assertThat(fromRead).isInstanceOf(CrcMismatchException.class).isInstanceOf(fromFullRead.getClass());
        assertThat(fromRead.file()).isEqualTo(fromFullRead.file()).contains(middle);
        assertThat(fromRead.offset()).isEqualTo(fromFullRead.offset()).isEqualTo(victim.offset());
    }

    /**
     * Another segment's index file with this segment's size in its header and its checksum made
     * again: intact and current by every check a file can pass, and still wrong.
     */
    private static byte[] fitted(byte[] other, Path segment) throws IOException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(other.clone());
        bytes.putLong(8, Files.size(segment));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes.array(), 0, other.length - 4);
        bytes.putInt(other.length - 4, (int) crc.getValue());
        return bytes.array();
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x40);
        }
    }
}

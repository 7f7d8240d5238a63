package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every single-byte corruption of a closed multi-segment WAL, at every position of every segment,
 * as etcd's {@code TestReadAllFail} does for one: reading it back either fails with a typed
 * {@link WalException}, or gives back exactly what was saved (the byte was padding or
 * preallocated space). Never a wrong entry. One case gives back less, silently, as etcd does: a
 * record's length field in the last segment turned to zero reads as the end of the log (it
 * cannot be told from preallocated space); the test checks that this is the only such case.
 */
class EveryByteCorruptionTest {

    @TempDir
    Path temp;

    @Test
    void everyFlippedByteIsDetectedOrHarmless() throws IOException {
        Path dir = temp.resolve("wal");
        SplittableRandom random = new SplittableRandom(42);
        WalOptions options = WalOptions.builder().segmentSize(2048).preallocate(true).build();
        try (Wal wal = Wal.create(dir, WalFixtures.METADATA, options)) {
            for (long index = 1; index <= 40; index++) {
                byte[] data = new byte[random.nextInt(1, 120)];
                random.nextBytes(data);
                wal.save(new HardState(1, 1, index), List.of(Entry.normal(1, index, data)));
                if (index % 15 == 0) {
                    wal.saveSnapshot(WalSnapshot.of(index, 1));
                }
            }
        }
        WalContents original = read(dir);
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);

        int detected = 0;
        int harmless = 0;
        int endedEarly = 0;
        for (Path segment : segments) {
            byte[] good = Files.readAllBytes(segment);
            boolean last = segment.equals(segments.get(segments.size() - 1));
            for (int position = 0; position < good.length; position++) {
                byte[] bad = good.clone();
                bad[position] ^= (byte) 0xA5;
                Files.write(segment, bad);
                String where = segment.getFileName() + " byte " + position;
                WalContents contents;
                try {
                    contents = read(dir);
                } catch (WalException typed) {
                    detected++;
                    continue;
                } catch (RuntimeException untyped) {
                    throw new AssertionError(where + ": untyped " + untyped, untyped);
                }
                if (contents.entries().equals(original.entries()) && contents.hardState().equals(original.hardState())) {
                    harmless++;
                    continue;
                }
                assertThat(last && zeroedLengthField(bad, position)).as("%s: a different log read back", where)
                        .isTrue();
                assertThat(original.entries()).as(where).startsWith(contents.entries().toArray(Entry[]::new));
                endedEarly++;
            }
            Files.write(segment, good);
        }
        System.out.printf("EveryByteCorruptionTest: %d detected, %d harmless, %d read as an earlier end%n",
                detected, harmless, endedEarly);
        assertThat(detected).isPositive();
        assertThat(harmless).isPositive();
    }

    private static WalContents read(Path dir) {
        try (Wal wal = Wal.openForRead(dir, WalSnapshot.ZERO)) {
            WalContents contents = wal.readAll();
            if (contents.tornTail().isPresent()) {
                throw contents.tornTail().get();
            }
            return contents;
        }
    }

    /** Whether the flip made an 8-byte-aligned length field (a frame's start) all zeros. */
    private static boolean zeroedLengthField(byte[] bytes, int position) {
        int start = position - position % 8;
        if (start + 8 > bytes.length) {
            return false;
        }
        return ByteBuffer.wrap(bytes, start, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() == 0;
    }
}

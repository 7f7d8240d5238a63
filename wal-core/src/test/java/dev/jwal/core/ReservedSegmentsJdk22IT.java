package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unsynced WALs reserve their segments with {@code fallocate} on Java 22 and later (run by the
 * {@code java22} profile against the multi-release jar): the files are byte for byte those that
 * written zeros and sparse segments give, and read back.
 */
class ReservedSegmentsJdk22IT {

    private static final long SEGMENT = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void reservedSegmentsAreByteForByteTheZeroFilledOnesAndReadBack() throws Exception {
        Path reserved = write(dir.resolve("reserved"), SyncPolicy.NONE, true);
        Path zeroFilled = write(dir.resolve("zero-filled"), SyncPolicy.ALWAYS, true);
        Path sparse = write(dir.resolve("sparse"), SyncPolicy.NONE, false);

        List<String> names = names(reserved);
        assertThat(names.size()).as("cuts happened").isGreaterThan(3);
        assertThat(names(zeroFilled)).isEqualTo(names);
        assertThat(names(sparse)).isEqualTo(names);
        for (String name : names) {
            byte[] bytes = Files.readAllBytes(reserved.resolve(name));
            assertThat(bytes).as(name).isEqualTo(Files.readAllBytes(zeroFilled.resolve(name)));
            assertThat(bytes).as(name).isEqualTo(Files.readAllBytes(sparse.resolve(name)));
        }
        // the tail's blocks were reserved, not left as holes
        String tail = names.get(names.size() - 1);
        assertThat(allocatedBytes(reserved.resolve(tail)))
                .isGreaterThanOrEqualTo(SEGMENT);

        try (Wal wal = Wal.open(reserved, WalSnapshot.ZERO)) {
            assertThat(wal.readAll().entries()).hasSize(2000);
        }
    }

    private static Path write(Path directory, SyncPolicy policy, boolean preallocate) {
        SplittableRandom random = new SplittableRandom(7);
        WalOptions options = WalOptions.builder().segmentSize(SEGMENT).syncPolicy(policy).preallocate(preallocate)
                .build();
        try (Wal wal = Wal.create(directory, new byte[] {1, 2, 3}, options)) {
            long index = 1;
            while (index <= 2000) {
                List<Entry> entries = new ArrayList<>();
                for (int i = 0; i < 10; i++, index++) {
                    byte[] data = new byte[random.nextInt(0, 300)];
                    random.nextBytes(data);
                    entries.add(Entry.normal(1, index, data));
                }
                wal.save(new HardState(1, 0, index - 1), entries);
            }
        }
        return directory;
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wal")).sorted().toList();
        }
    }

    /** Bytes of blocks the file system holds for {@code file}, from stat(1). */
    private static long allocatedBytes(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String[] out = new String(stat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .trim().split(" ");
        assertThat(stat.waitFor()).isZero();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}

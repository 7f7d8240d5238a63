package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage in a segment released by a compaction (before the one holding the snapshot) gets one
 * verdict everywhere: a restarting node reads every segment to find its snapshot, so the check at
 * that snapshot, the check of the whole directory, etcd's Verify and startup all call it corrupt,
 * naming the same file and offset.
 */
class ReleasedSegmentDamageTest {

    private static final WalOptions OPTIONS = WalOptions.builder().segmentSize(16 * 1024).preallocate(false).build();
    private static final WalSnapshot SNAPSHOT = WalSnapshot.of(280, 1);

    @TempDir
    Path temp;

    private Path compactedLog() throws IOException {
        Path dir = temp.resolve("wal");
        try (Wal wal = Wal.create(dir, "node-1".getBytes(), OPTIONS)) {
            for (long i = 1; i <= 300; i++) {
                wal.save(new HardState(1, 1, i), List.of(Entry.normal(1, i, new byte[200])));
            }
            wal.saveSnapshot(SNAPSHOT);
        }
        assertThat(segments(dir)).as("segments before the snapshot's").hasSizeGreaterThan(3);
        return dir;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    @Test
    void aFlippedBitInAReleasedSegmentIsCorruptionToEveryCheck() throws IOException {
        Path dir = compactedLog();
        Path released = segments(dir).get(1);
        try (RandomAccessFile file = new RandomAccessFile(released.toFile(), "rw")) {
            file.seek(5_000);
            int b = file.read();
            file.seek(5_000);
            file.write(b ^ 0x10);
        }
        agreeOnCorruption(dir);
    }

    @Test
    void zerosToTheEndOfAReleasedSegmentAreCorruptionToEveryCheck() throws IOException {
        Path dir = compactedLog();
        Path released = segments(dir).get(2);
        try (RandomAccessFile file = new RandomAccessFile(released.toFile(), "rw")) {
            long from = file.length() / 2;
            file.seek(from);
            file.write(new byte[(int) (file.length() - from)]);
        }
        agreeOnCorruption(dir);
    }

    private static void agreeOnCorruption(Path dir) {
        WalVerdict atSnapshot = WalDirectory.examine(dir, SNAPSHOT, OPTIONS);
        WalVerdict whole = WalDirectory.examine(dir, OPTIONS);
        assertThat(atSnapshot.kind()).as("the check at the snapshot: " + atSnapshot.problem())
                .isEqualTo(WalVerdict.Kind.CORRUPT);
        assertThat(whole.kind()).as("the check of every segment").isEqualTo(WalVerdict.Kind.CORRUPT);
        assertThat(atSnapshot.problem()).hasSameClassAs(whole.problem());
        assertThat(atSnapshot.problem().file()).isEqualTo(whole.problem().file());
        assertThat(atSnapshot.problem().offset()).isEqualTo(whole.problem().offset());

        WalException verify = catchThrowableOfType(WalException.class,
                () -> WalDirectory.verifyOrThrow(dir, SNAPSHOT, OPTIONS));
        assertThat(verify).as("etcd's Verify at the snapshot").hasSameClassAs(whole.problem());

        WalException startup = catchThrowableOfType(WalException.class,
                () -> WalStartup.in(dir, OPTIONS).repairTornTail(true).start(new WalStartup.Handler() {
                    @Override
                    public void entry(Entry entry) {
                    }

                    @Override
                    public void truncated(long index) {
                    }
                }).wal().close());
        assertThat(startup).as("startup, even allowed to repair a torn tail").hasSameClassAs(whole.problem());
        assertThat(startup.file()).isEqualTo(whole.problem().file());
    }
}

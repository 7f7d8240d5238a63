package dev.jwal.core;

import static dev.jwal.core.WalFixtures.METADATA;
import static dev.jwal.core.WalFixtures.entries;
import static dev.jwal.core.WalFixtures.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.test.FaultyDisk;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's repair_test.go in intent. */
class RepairTest {

    @TempDir
    Path temp;

    private Path dir() {
        return temp.resolve("wal");
    }

    /** A WAL of several segments with ten entries of 600 bytes in the last one. */
    private Path lastSegmentWithTenEntries() throws IOException {
        WalOptions options = small().segmentSize(64 * 1024).build();
        try (Wal wal = Wal.create(dir(), METADATA, options)) {
            for (long i = 1; i <= 150; i++) {
                wal.save(new HardState(1, 1, i), entries(1, i, i, 600));
            }
        }
        List<SegmentName> names = segments();
        SegmentName last = names.get(names.size() - 1);
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO, options)) {
            wal.readAll();
            wal.save(new HardState(1, 1, 150), entries(1, 151, 160, 600));
        }
        assertThat(segments().get(segments().size() - 1)).isEqualTo(last);
        return dir().resolve(last.fileName());
    }

    private List<SegmentName> segments() throws IOException {
        try (var files = Files.list(dir())) {
            return files.map(p -> SegmentName.parse(p.getFileName().toString())).flatMap(java.util.Optional::stream)
                    .sorted(java.util.Comparator.comparing(SegmentName::fileName)).toList();
        }
    }

    private static long endOfFrames(Path segment) throws IOException {
        List<WalFrames.Frame> frames = WalFrames.list(segment);
        return frames.get(frames.size() - 1).end();
    }

    /** etcd TestRepairTruncate: a tail cut mid-record is repaired to the record before it. */
    @Test
    void aTruncatedTailIsCutBackToTheLastWholeRecord() throws IOException {
        Path last = lastSegmentWithTenEntries();
        long end = endOfFrames(last);
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.setLength(end - 300);
        }
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO)) {
            assertThatThrownBy(wal::readAll).isInstanceOf(UnexpectedEofException.class)
                    .hasMessageContaining(last.getFileName().toString());
        }
        RepairResult result = WalDirectory.repair(dir());
        assertThat(result.truncated()).isTrue();
        assertThat(Files.size(last)).isEqualTo(result.truncatedAt());
        assertThat(Files.size(result.broken().orElseThrow())).isEqualTo(end - 300);
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO)) {
            assertThat(wal.readAll().entries()).hasSize(159);
        }
    }

    /**
     * Issue 37: with no room for the .broken copy, the repair says so, cuts nothing and leaves no
     * half copy taking room.
     */
    @Test
    void noRoomForTheCopyCutsNothingAndLeavesNoHalfCopy() throws IOException {
        Path last = lastSegmentWithTenEntries();
        long end = endOfFrames(last);
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.setLength(end - 300);
        }
        byte[] before = Files.readAllBytes(last);
        FaultyDisk full = FaultyDisk.failingFrom(FaultyDisk.Operation.WRITE, 1, "No space left on device");
        assertThatThrownBy(() -> WalDirectory.repair(dir(), WalOptions.builder().disk(full).build()))
                .isInstanceOf(WalIoException.class)
                .hasMessageContaining("copying the segment to " + last.getFileName() + ".broken")
                .hasMessageContaining("nothing was cut").hasMessageContaining("No space left on device");
        assertThat(Files.readAllBytes(last)).isEqualTo(before);
        assertThat(last.resolveSibling(last.getFileName() + ".broken")).doesNotExist();
        assertThat(WalDirectory.repair(dir()).truncated()).isTrue();
    }

    /** etcd TestRepairWriteTearLast: a zeroed sector in the last record is a torn write, repaired. */
    @Test
    void aZeroedSectorAtTheEndIsATornWrite() throws IOException {
        Path last = lastSegmentWithTenEntries();
        long end = endOfFrames(last);
        long sector = (end - 1) / 512 * 512;
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.seek(sector);
            file.write(new byte[(int) (end - sector)]);
        }
        WalDirectory.repair(dir());
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO)) {
            List<Entry> read = wal.readAll().entries();
            assertThat(read.size()).isBetween(155, 159);
            assertThat(read).isEqualTo(entriesUpTo(read.size()));
        }
    }

    /**
     * etcd TestRepairWriteTearMiddle, where etcd cuts at the zeroed sectors and loses the intact
     * records after them: jwal calls that corruption (a torn write leaves nothing readable behind
     * it), names what follows, and changes nothing; only the explicit override cuts, and says
     * what it threw away.
     */
    @Test
    void zeroedSectorsInTheMiddleOfTheTailAreCorruptionNotATornTail() throws IOException {
        Path last = lastSegmentWithTenEntries();
        long fifth = WalFrames.list(last).stream().filter(f -> f.entryIndex() == 155).findFirst().orElseThrow()
                .offset();
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.seek(fifth + 8);
            file.write(new byte[1024]);
        }
        byte[] before = Files.readAllBytes(last);
        ReadableAfterDamageException refused = catchThrowableOfType(ReadableAfterDamageException.class,
                () -> WalDirectory.repair(dir()));
        assertThat(refused.offset()).isEqualTo(fifth);
        assertThat(refused.file()).hasValue(last);
        assertThat(refused.readable().lastEntryIndex()).isEqualTo(160);
        assertThat(refused.readable().firstEntryIndex()).isBetween(156L, 158L);
        assertThat(refused.readable().hardState()).isPresent();
        assertThat(refused.isTornTail()).isFalse();
        assertThat(Files.readAllBytes(last)).isEqualTo(before);
        assertThat(last.resolveSibling(last.getFileName() + ".broken")).doesNotExist();
        assertThat(WalDirectory.examine(dir(), WalOptions.defaults()).kind()).isEqualTo(WalVerdict.Kind.CORRUPT);
        assertThatThrownBy(() -> WalDirectory.verifyOrThrow(dir(), WalSnapshot.ZERO)).isInstanceOf(ReadableAfterDamageException.class);

        RepairResult result = WalDirectory.repairDiscardingReadable(dir(), WalOptions.defaults());
        assertThat(result.truncatedAt()).isEqualTo(fifth);
        assertThat(result.discarded().lastEntryIndex()).isEqualTo(160);
        assertThat(result.broken()).isPresent();
        assertThat(result.broken().get()).hasBinaryContent(before);
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO)) {
            assertThat(wal.readAll().entries()).isEqualTo(entriesUpTo(154));
        }
    }

    /** What etcd's test meant: a write torn at a sector, with nothing after it on disk, is cut there. */
    @Test
    void aWriteTornFromTheMiddleOfTheTailCutsFromThere() throws IOException {
        Path last = lastSegmentWithTenEntries();
        long fifth = WalFrames.list(last).stream().filter(f -> f.entryIndex() == 155).findFirst().orElseThrow()
                .offset();
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.seek(fifth + 8);
            file.write(new byte[(int) (file.length() - fifth - 8)]);
        }
        assertThat(WalDirectory.examine(dir(), WalOptions.defaults()).kind()).isEqualTo(WalVerdict.Kind.TORN_TAIL);
        RepairResult result = WalDirectory.repair(dir());
        assertThat(result.truncatedAt()).isEqualTo(fifth);
        assertThat(result.discarded().any()).isFalse();
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO)) {
            assertThat(wal.readAll().entries()).isEqualTo(entriesUpTo(154));
        }
    }

    @Test
    void corruptionIsNeverRepaired() throws IOException {
        Path last = lastSegmentWithTenEntries();
        long fifth = WalFrames.list(last).stream().filter(f -> f.entryIndex() == 155).findFirst().orElseThrow()
                .offset();
        WalTest.flipByte(last, fifth + 40);
        byte[] before = Files.readAllBytes(last);
        assertThatThrownBy(() -> WalDirectory.repair(dir())).isInstanceOf(CrcMismatchException.class);
        assertThat(Files.readAllBytes(last)).isEqualTo(before);
        assertThat(last.resolveSibling(last.getFileName() + ".broken")).doesNotExist();
    }

    @Test
    void aCleanLogIsLeftAlone() throws IOException {
        Path last = lastSegmentWithTenEntries();
        byte[] before = Files.readAllBytes(last);
        assertThat(WalDirectory.repair(dir()).truncated()).isFalse();
        assertThat(Files.readAllBytes(last)).isEqualTo(before);
    }

    @Test
    void repairRefusesASegmentHeldByAWriter() throws IOException {
        lastSegmentWithTenEntries();
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO)) {
            wal.readAll();
            assertThatThrownBy(() -> WalDirectory.repair(dir())).isInstanceOf(WalLockedException.class);
        }
    }

    /** etcd TestRepairFailDeleteDir: a directory that is gone cannot be repaired. */
    @Test
    void aMissingDirectoryIsNotRepaired() {
        assertThatThrownBy(() -> WalDirectory.repair(temp.resolve("gone"))).isInstanceOf(WalException.class)
                .hasMessageContaining("gone");
    }

    private static List<Entry> entriesUpTo(int last) {
        return entries(1, 1, last, 600);
    }
}

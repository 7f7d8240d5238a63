package dev.jwal.core.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.Wal;
import dev.jwal.core.WalCorruptionException;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalInspectorTest {

    private static final WalOptions SMALL = WalOptions.builder().segmentSize(4096).syncPolicy(SyncPolicy.NONE)
            .preallocate(false).build();

    private final WalInspector inspector = new WalInspector(SMALL);

    @TempDir
    Path temp;

    /**
     * Entries 1..60 in saves of five, a snapshot at 30, then 41..45 again in term 2 (raft overwrote
     * a suffix): several segments, the last one sparse up to the segment size.
     */
    private Path writeLog() {
        Path dir = temp.resolve("wal");
        try (Wal wal = Wal.create(dir, "node-1".getBytes(), SMALL)) {
            for (long i = 1; i <= 60; i += 5) {
                wal.save(new HardState(1, 1, i - 1), entries(1, i, i + 4));
                if (i == 26) {
                    wal.saveSnapshot(new WalSnapshot(30, 1, null));
                }
            }
            wal.save(new HardState(2, 1, 40), entries(2, 41, 45));
        }
        return dir;
    }

    private static List<Entry> entries(long term, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(i -> Entry.normal(term, i, new byte[100])).toList();
    }

    @Test
    void scanHandsOverEveryRecordInOrderWithWhereItLies() {
        Path dir = writeLog();
        List<WalRecord> records = new ArrayList<>();

        ScanOutcome outcome = inspector.scan(dir, records::add);

        assertThat(outcome.isClean()).isTrue();
        assertThat(records.get(0).kind()).isEqualTo(RecordKind.CRC);
        assertThat(records.get(1).kind()).isEqualTo(RecordKind.METADATA);
        assertThat(records.get(1).metadata()).isEqualTo("node-1".getBytes());
        List<Long> indexes = records.stream().filter(r -> r.kind() == RecordKind.ENTRY).map(r -> r.entry().index())
                .toList();
        // The overwritten 41..45 of term 1 are there, then term 2's: a scan hides nothing.
        assertThat(indexes).hasSize(65).startsWith(1L, 2L).endsWith(45L);
        assertThat(records).filteredOn(r -> r.kind() == RecordKind.SNAPSHOT).extracting(WalRecord::snapshot)
                .contains(new WalSnapshot(30, 1, null));
        assertThat(records).allSatisfy(r -> {
            assertThat(r.offset() % 8).isZero();
            assertThat((r.length() + r.padding()) % 8).isZero();
        });
        List<Path> files = records.stream().map(WalRecord::file).distinct().toList();
        assertThat(files).hasSizeGreaterThan(1);
    }

    @Test
    void segmentReportsAddUpToTheLog() throws IOException {
        Path dir = writeLog();

        List<SegmentReport> reports = inspector.segments(dir);

        assertThat(reports).hasSize(fileCount(dir, ".wal"));
        assertThat(reports).extracting(SegmentReport::sequence)
                .containsExactlyElementsOf(LongStream.range(0, reports.size()).boxed().toList());
        assertThat(reports.stream().mapToLong(r -> r.recordsByKind().get(RecordKind.ENTRY)).sum()).isEqualTo(65);
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.outcome().isClean()).isTrue();
            assertThat(r.recordsByKind().get(RecordKind.CRC)).isEqualTo(1);
            assertThat(r.size()).isEqualTo(Files.size(dir.resolve(r.name())));
            if (r.firstEntryIndex() != null) {
                assertThat(r.firstEntryIndex()).isGreaterThanOrEqualTo(r.firstIndex());
            }
        });
        SegmentReport first = reports.get(0);
        assertThat(first.firstEntryIndex()).isEqualTo(1);
        // the zero snapshot that create writes, and the one at 30
        assertThat(reports.stream().mapToLong(r -> r.recordsByKind().get(RecordKind.SNAPSHOT)).sum()).isEqualTo(2);
        assertThat(reports.get(reports.size() - 1).lastEntryIndex()).isEqualTo(45);
    }

    @Test
    void theSegmentBeingWrittenShowsItsPreallocatedTail() {
        Path dir = temp.resolve("wal");
        try (Wal wal = Wal.create(dir, null, SMALL.toBuilder().preallocate(true).build())) {
            wal.save(new HardState(1, 1, 1), entries(1, 1, 1));
            SegmentReport tail = inspector.segments(dir).get(0);
            assertThat(tail.preallocatedTail()).isTrue();
            assertThat(tail.dataEnd()).isLessThan(tail.size());
            // (the pipeline's spare appears in the background, so whether it is there yet is not asserted)
        }
    }

    @Test
    void aTornTailEndsTheScanWithTheOffsetRepairWouldCutAt() throws IOException {
        Path dir = writeLog();
        Path last = lastSegment(dir);
        long dataEnd = inspector.segment(dir, last.getFileName().toString()).orElseThrow().dataEnd();
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.setLength(dataEnd - 3);
        }
        List<WalRecord> records = new ArrayList<>();

        ScanOutcome outcome = inspector.scan(dir, records::add);

        assertThat(outcome.ending()).isEqualTo(ScanOutcome.Ending.TORN_TAIL);
        assertThat(outcome.problem()).isInstanceOf(UnexpectedEofException.class);
        assertThat(outcome.file()).isEqualTo(last);
        WalRecord lastRead = records.get(records.size() - 1);
        assertThat(outcome.validEnd()).isEqualTo(lastRead.offset() + 8 + lastRead.length() + lastRead.padding());
        assertThat(WalDirectory.repair(dir, SMALL).truncatedAt()).isEqualTo(outcome.validEnd());
        assertThat(inspector.leftovers(dir)).extracting(LeftoverFile::role)
                .containsExactly(LeftoverFile.Role.BROKEN_COPY, LeftoverFile.Role.INDEX);
    }

    @Test
    void corruptionInAMiddleSegmentIsNamedWithItsFile() throws IOException {
        Path dir = writeLog();
        Path middle;
        try (Stream<Path> files = Files.list(dir)) {
            middle = files.filter(p -> p.toString().endsWith(".wal")).sorted().skip(1).findFirst().orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(middle.toFile(), "rw")) {
            file.seek(200);
            int b = file.read();
            file.seek(200);
            file.write(b ^ 0x40);
        }

        ScanOutcome outcome = inspector.scan(dir, r -> { });

        assertThat(outcome.ending()).isEqualTo(ScanOutcome.Ending.CORRUPT);
        // a flipped bit fails the CRC, or, in the record's type field, makes a type etcd does not know
        assertThat(outcome.problem()).isInstanceOf(WalCorruptionException.class);
        assertThat(outcome.file()).isEqualTo(middle);
        SegmentReport report = inspector.segment(dir, middle.getFileName().toString()).orElseThrow();
        assertThat(report.outcome().ending()).isEqualTo(ScanOutcome.Ending.CORRUPT);
        assertThat(report.dataEnd()).isLessThanOrEqualTo(200);
    }

    @Test
    void filesBesideTheSegmentsAreNamedForWhatTheyAre() throws IOException {
        Path dir = writeLog();
        Files.write(dir.resolve("0.tmp"), new byte[64]);
        Files.write(dir.resolve("notes.txt"), new byte[3]);

        assertThat(inspector.leftovers(dir)).containsExactly(new LeftoverFile("0.tmp", 64, LeftoverFile.Role.SPARE),
                new LeftoverFile(WalDirectory.INDEX_DIRECTORY, 0, LeftoverFile.Role.INDEX),
                new LeftoverFile("notes.txt", 3, LeftoverFile.Role.OTHER));
    }

    @Test
    void aSegmentNameFromOutsideCannotLeaveTheDirectory() {
        Path dir = writeLog();

        assertThatThrownBy(() -> inspector.segment(dir, "../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a WAL segment name");
        assertThatThrownBy(() -> inspector.segment(dir, "0000000000000000-0000000000000000.wal/.."))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(inspector.segment(dir, "00000000000000ff-0000000000000000.wal")).isEmpty();
    }

    @Test
    void scanFromASnapshotStartsAtTheSegmentHoldingIt() {
        Path dir = writeLog();
        List<WalRecord> records = new ArrayList<>();

        inspector.scanFrom(dir, 50, records::add);

        assertThat(records.get(0).file().getFileName().toString()).isNotEqualTo(inspector.segments(dir).get(0).name());
        assertThat(records).filteredOn(r -> r.kind() == RecordKind.ENTRY).first()
                .satisfies(r -> assertThat(r.entry().index()).isLessThanOrEqualTo(50));
    }

    private static Path lastSegment(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".wal")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private static int fileCount(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(p -> p.toString().endsWith(suffix)).count();
        }
    }
}

package dev.jwal.core;

import static dev.jwal.core.WalFixtures.METADATA;
import static dev.jwal.core.WalFixtures.entries;
import static dev.jwal.core.WalFixtures.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.test.FaultyDisk;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL's life cycle and etcd's semantics. Each test names the etcd test ({@code wal_test.go})
 * whose intent it covers, where there is one.
 */
class WalTest {

    @TempDir
    Path temp;

    private Path dir() {
        return temp.resolve("wal");
    }

    /** etcd TestNew: the first segment's bytes are exactly etcd's. */
    @Test
    void createWritesEtcdsHeaderRecords() throws IOException {
        Wal.create(dir(), "somedata".getBytes(), WalOptions.defaults()).close();
        Path first = dir().resolve("0000000000000000-0000000000000000.wal");
        assertThat(Files.size(first)).isEqualTo(WalOptions.DEFAULT_SEGMENT_SIZE);
        byte[] head = new byte[72];
        try (RandomAccessFile file = new RandomAccessFile(first.toFile(), "r")) {
            file.readFully(head);
        }
        // crc record (crc 0), metadata record, snapshot record {0, 0}: each a length field, record and padding
        assertThat(HexFormat.of().formatHex(head, 0, 16)).isEqualTo("0400000000000084" + "0804100000000000");
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO)) {
            WalContents contents = wal.readAll();
            assertThat(contents.metadata()).isEqualTo("somedata".getBytes());
            assertThat(contents.hardState()).isEqualTo(HardState.EMPTY);
            assertThat(contents.entries()).isEmpty();
        }
    }

    /** etcd TestCreateNewWALFile: files and directories are private to the owner. */
    @Test
    void createMakesPrivateFilesAndDirectories() throws IOException {
        Wal.create(dir(), METADATA, small().build()).close();
        assertThat(Files.getPosixFilePermissions(dir())).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(dir().resolve(new SegmentName(0, 0).fileName())))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(temp.resolve("wal.tmp")).doesNotExist();
    }

    /** etcd TestCreateFailFromPollutedDir: a directory holding other files is not taken over. */
    @Test
    void createRefusesADirectoryWithOtherFiles() throws IOException {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("precious.db"), "data");
        assertThatThrownBy(() -> Wal.create(dir(), METADATA, small().build())).isInstanceOf(WalExistsException.class)
                .hasMessageContaining("precious.db");
        assertThat(dir().resolve("precious.db")).hasContent("data");
    }

    /** etcd TestNewForInitedDir: a directory that holds a WAL cannot be created again. */
    @Test
    void createRefusesAnExistingWal() {
        Wal.create(dir(), METADATA, small().build()).close();
        assertThatThrownBy(() -> Wal.create(dir(), METADATA, small().build())).isInstanceOf(WalExistsException.class);
    }

    @Test
    void createTakesAnEmptyDirectoryAndReplacesALeftoverTmp() throws IOException {
        Files.createDirectories(dir());
        Files.createDirectories(temp.resolve("wal.tmp"));
        Files.writeString(temp.resolve("wal.tmp/garbage"), "half-made");
        Wal.create(dir(), METADATA, small().build()).close();
        assertThat(temp.resolve("wal.tmp")).doesNotExist();
        assertThat(dir().resolve(new SegmentName(0, 0).fileName())).exists();
    }

    /** etcd TestCreateFailFromNoSpaceLeft and TestWalCleanup: a failed create leaves nothing behind. */
    @Test
    void createThatRunsOutOfSpaceLeavesNothing() {
        FaultyDisk full = FaultyDisk.failingFrom(FaultyDisk.Operation.EXTEND, 1, "No space left on device");
        assertThatThrownBy(() -> Wal.create(dir(), METADATA, small().disk(full).build()))
                .isInstanceOf(WalIoException.class).hasMessageContaining("No space left on device");
        assertThat(dir()).doesNotExist();
        assertThat(temp.resolve("wal.tmp")).doesNotExist();
    }

    /** etcd TestRenameFail. */
    @Test
    void createWhoseRenameFailsLeavesNothing() {
        FaultyDisk failing = FaultyDisk.failingFrom(FaultyDisk.Operation.RENAME, 1, "rename refused");
        assertThatThrownBy(() -> Wal.create(dir(), METADATA, small().disk(failing).build()))
                .isInstanceOf(WalIoException.class);
        assertThat(dir()).doesNotExist();
        assertThat(temp.resolve("wal.tmp")).doesNotExist();
        Wal.create(dir(), METADATA, small().build()).close();
    }

    /** etcd's cleanupWAL: a create whose final directory fsync fails moves the WAL aside. */
    @Test
    void createWhoseParentSyncFailsMovesTheWalAside() throws IOException {
        FaultyDisk failing = FaultyDisk.failingFrom(FaultyDisk.Operation.SYNC_DIRECTORY, 2, "EIO");
        assertThatThrownBy(() -> Wal.create(dir(), METADATA, small().disk(failing).build()))
                .isInstanceOf(WalIoException.class);
        assertThat(dir()).doesNotExist();
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement().asString()
                    .startsWith("wal.broken.");
        }
        Wal.create(dir(), METADATA, small().build()).close();
    }

    /** etcd TestRecover: what was saved is read back, entries, state and metadata. */
    @Test
    void savedEntriesAndStateAreRecovered() {
        List<Entry> saved = entries(1, 1, 20, 50);
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.save(new HardState(1, 1, 0), saved.subList(0, 10));
            wal.save(new HardState(1, 1, 5), saved.subList(10, 20));
        }
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO, small().build())) {
            WalContents contents = wal.readAll();
            assertThat(contents.metadata()).isEqualTo(METADATA);
            assertThat(contents.entries()).isEqualTo(saved);
            assertThat(contents.hardState()).isEqualTo(new HardState(1, 1, 5));
            assertThat(wal.lastIndex()).isEqualTo(20);
        }
    }

    @Test
    void nilAndEmptyDataStayApart() {
        List<Entry> saved = List.of(Entry.normal(1, 1, null), Entry.normal(1, 2, new byte[0]),
                new Entry(1, 3, EntryType.CONF_CHANGE, new byte[] {7}));
        try (Wal wal = Wal.create(dir(), null, small().build())) {
            wal.save(new HardState(1, 0, 0), saved);
        }
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO)) {
            WalContents contents = wal.readAll();
            assertThat(contents.entries()).isEqualTo(saved);
            assertThat(contents.entries().get(0).data()).isNull();
            assertThat(contents.entries().get(1).data()).isEmpty();
            assertThat(contents.metadata()).isNull();
        }
    }

    /** etcd TestCut and TestSaveWithCut: a segment past the size is cut; names carry seq and index. */
    @Test
    void segmentsAreCutAndNamedBySequenceAndNextIndex() throws IOException {
        List<Entry> saved = entries(1, 1, 40, 500);
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            for (Entry entry : saved) {
                wal.save(new HardState(1, 1, entry.index()), List.of(entry));
            }
            assertThat(wal.openSegments()).hasSizeGreaterThan(3);
        }
        List<SegmentName> names = listSegments();
        assertThat(names.get(0)).isEqualTo(new SegmentName(0, 0));
        for (int i = 1; i < names.size(); i++) {
            assertThat(names.get(i).sequence()).isEqualTo(i);
            // the segment was cut after a save whose last entry was firstIndex - 1
            assertThat(names.get(i).firstIndex()).isGreaterThan(names.get(i - 1).firstIndex());
        }
        // Every cut segment carries crc, metadata and the last state at its head, so opening at
        // an index inside it gives that state even without the earlier segments.
        SegmentName last = names.get(names.size() - 1);
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.of(last.firstIndex() - 1, 1))) {
            assertThatThrownBy(wal::readAll).isInstanceOf(SnapshotNotFoundException.class)
                    .satisfies(e -> assertThat(((SnapshotNotFoundException) e).contents().metadata())
                            .isEqualTo(METADATA));
        }
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO, small().build())) {
            assertThat(wal.readAll().entries()).isEqualTo(saved);
        }
    }

    @Test
    void aSnapshotNotHeldIsNamedAsAskedForWhenOpenedForWritingToo() {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.save(new HardState(1, 1, 3), entries(1, 1, 3, 8));
        }
        for (boolean writable : new boolean[] {true, false}) {
            try (Wal wal = writable ? Wal.open(dir(), WalSnapshot.of(2, 1), small().build())
                    : Wal.openForRead(dir(), WalSnapshot.of(2, 1), small().build())) {
                assertThatThrownBy(wal::readAll).isInstanceOf(SnapshotNotFoundException.class)
                        .hasMessageContaining("index 2 term 1");
            }
            try (Wal wal = writable ? Wal.open(dir(), WalSnapshot.of(2, 1), small().build())
                    : Wal.openForRead(dir(), WalSnapshot.of(2, 1), small().build())) {
                assertThatThrownBy(() -> wal.replay(new WalReplayHandler() {
                    @Override
                    public void entry(Entry entry) {
                    }

                    @Override
                    public void truncated(long index) {
                    }
                })).isInstanceOf(SnapshotNotFoundException.class).hasMessageContaining("index 2 term 1");
            }
        }
    }

    /** etcd TestRecoverAfterCut: opening at any snapshot reads the entries after it. */
    @Test
    void opensAtEverySnapshotAcrossCuts() {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            for (long i = 1; i <= 30; i++) {
                wal.save(new HardState(1, 1, i), entries(1, i, i, 300));
                wal.saveSnapshot(WalSnapshot.of(i, 1));
            }
        }
        for (long i = 1; i <= 30; i++) {
            try (Wal wal = Wal.openForRead(dir(), WalSnapshot.of(i, 1))) {
                WalContents contents = wal.readAll();
                assertThat(contents.entries()).as("at %d", i).hasSize((int) (30 - i));
                if (i < 30) {
                    assertThat(contents.entries().get(0).index()).isEqualTo(i + 1);
                }
            }
        }
    }

    /** etcd TestOpenAtUncommittedIndex: opening at an index beyond every snapshot still reads on. */
    @Test
    void openAtAnIndexWithoutSnapshotRecordReportsNotFoundWithContents() {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.save(new HardState(1, 1, 1), entries(1, 1, 5, 10));
        }
        try (Wal wal = Wal.open(dir(), WalSnapshot.of(3, 1), small().build())) {
            SnapshotNotFoundException notFound = (SnapshotNotFoundException) org.assertj.core.api.Assertions
                    .catchThrowable(wal::readAll);
            assertThat(notFound.contents().entries()).extracting(Entry::index).containsExactly(4L, 5L);
            // as in etcd, the WAL is ready to append all the same
            wal.save(new HardState(1, 1, 5), entries(1, 6, 6, 10));
        }
    }

    /** etcd TestOpenWithMaxIndex: an entry whose index leaves a gap is refused. */
    @Test
    void aGapInIndexesIsSliceOutOfRange() {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.save(new HardState(1, 1, 1), entries(1, 1, 2, 10));
            // a snapshot installed from a leader moves the log on: the gap is there when read from 0
            wal.saveSnapshot(new WalSnapshot(4, 1, null));
            wal.save(HardState.EMPTY, entries(1, 5, 5, 10));
        }
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO)) {
            assertThatThrownBy(wal::readAll).isInstanceOf(SliceOutOfRangeException.class);
        }
    }

    @Test
    void aLaterEntryOverwritesTheUncommittedSuffix() {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.save(new HardState(1, 1, 1), entries(1, 1, 5, 10));
            wal.save(new HardState(2, 2, 1), entries(2, 3, 4, 10));
        }
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO)) {
            assertThat(wal.readAll().entries()).extracting(Entry::index, Entry::term).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(1L, 1L), org.assertj.core.groups.Tuple.tuple(2L, 1L),
                    org.assertj.core.groups.Tuple.tuple(3L, 2L), org.assertj.core.groups.Tuple.tuple(4L, 2L));
        }
    }

    /** etcd TestOpenForRead: a reader works while the writer holds the locks, and changes nothing. */
    @Test
    void openForReadWorksBesideAWriterAndKeepsItsLock() throws IOException {
        try (Wal writer = Wal.create(dir(), METADATA, small().build())) {
            writer.save(new HardState(1, 1, 3), entries(1, 1, 3, 10));
            try (Wal reader = Wal.openForRead(dir(), WalSnapshot.ZERO)) {
                assertThat(reader.readAll().entries()).hasSize(3);
                assertThatThrownBy(() -> reader.save(HardState.EMPTY, entries(1, 4, 4, 1)))
                        .isInstanceOf(IllegalStateException.class);
            }
            WalDirectory.verifyOrThrow(dir(), WalSnapshot.ZERO);
            // the readers closed their descriptors: the writer's lock must have survived
            assertThatThrownBy(() -> Wal.open(dir(), WalSnapshot.ZERO)).isInstanceOf(WalLockedException.class);
            assertThat(LockProbe.tryOpenInAnotherProcess(dir())).isEqualTo(LockProbe.LOCKED);
            writer.save(new HardState(1, 1, 4), entries(1, 4, 4, 10));
        }
    }

    /** A second writer, in this JVM or another process, is refused; after close it may open. */
    @Test
    void aSecondWriterIsLockedOut() throws IOException {
        Wal.create(dir(), METADATA, small().build()).close();
        try (Wal first = Wal.open(dir(), WalSnapshot.ZERO)) {
            first.readAll();
            assertThatThrownBy(() -> Wal.open(dir(), WalSnapshot.ZERO)).isInstanceOf(WalLockedException.class)
                    .hasMessageContaining("0000000000000000-0000000000000000.wal");
            assertThat(LockProbe.tryOpenInAnotherProcess(dir())).isEqualTo(LockProbe.LOCKED);
        }
        assertThat(LockProbe.tryOpenInAnotherProcess(dir())).isEqualTo(LockProbe.OPENED);
        try (Wal again = Wal.open(dir(), WalSnapshot.ZERO)) {
            again.readAll();
        }
    }

    /** etcd TestSaveEmpty: an empty state and no entries write nothing. */
    @Test
    void saveOfNothingWritesNothing() throws IOException {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.sync();
            byte[] before = Files.readAllBytes(dir().resolve(new SegmentName(0, 0).fileName()));
            wal.save(HardState.EMPTY, List.of());
            wal.sync();
            assertThat(Files.readAllBytes(dir().resolve(new SegmentName(0, 0).fileName()))).isEqualTo(before);
        }
    }

    /** etcd TestReleaseLockTo: holding 1..6, releasing to 4 frees 1 and 2 and keeps 3. */
    @Test
    void releaseLockToKeepsTheSegmentBeforeTheIndex() throws IOException {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            for (long i = 1; i <= 30; i++) {
                wal.save(new HardState(1, 1, i), entries(1, i, i, 1500));
            }
            List<Path> held = wal.openSegments();
            List<SegmentName> names = listSegments();
            assertThat(held).hasSize(names.size()).hasSizeGreaterThan(5);
            long fourthFirstIndex = names.get(3).firstIndex();
            wal.releaseLockTo(fourthFirstIndex);
            assertThat(wal.openSegments()).containsExactlyElementsOf(held.subList(2, held.size()));
            // released segments may be opened (and purged) by someone else; held ones may not
            assertThat(LockProbe.tryLockSegment(held.get(0))).isTrue();
            assertThat(LockProbe.tryLockSegment(held.get(2))).isFalse();
            wal.releaseLockTo(Long.MAX_VALUE);
            assertThat(wal.openSegments()).containsExactly(held.get(held.size() - 1));
            wal.save(new HardState(1, 1, 31), entries(1, 31, 31, 10));
        }
    }

    /** Purge deletes released segments oldest first, keeps {@code keep}, and never a held one. */
    @Test
    void purgeDeletesOnlyReleasedSegmentsBeyondTheKeepCount() throws IOException {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            for (long i = 1; i <= 30; i++) {
                wal.save(new HardState(1, 1, i), entries(1, i, i, 1500));
            }
            List<SegmentName> names = listSegments();
            assertThat(names).hasSizeGreaterThan(5);
            assertThat(wal.purge(1)).as("nothing released yet").isEmpty();

            wal.releaseLockTo(names.get(3).firstIndex());
            assertThat(wal.purge(names.size() - 1)).as("keep bounds the deletion")
                    .containsExactly(dir().resolve(names.get(0).fileName()));
            assertThat(wal.purge(1)).as("stops at the first held segment")
                    .containsExactly(dir().resolve(names.get(1).fileName()));
            assertThat(listSegments()).containsExactlyElementsOf(names.subList(2, names.size()));

            wal.save(new HardState(1, 1, 31), entries(1, 31, 31, 10));
            wal.saveSnapshot(WalSnapshot.of(31, 1));
        }
        assertThat(WalDirectory.validSnapshotEntries(dir())).contains(WalSnapshot.of(31, 1));
        try (Wal wal = Wal.open(dir(), WalSnapshot.of(31, 1))) {
            assertThat(wal.readAll().hardState()).isEqualTo(new HardState(1, 1, 31));
        }
    }

    @Test
    void purgeRefusesToKeepNothingAndNeedsAWritableWal() throws IOException {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            assertThatThrownBy(() -> wal.purge(0)).isInstanceOf(IllegalArgumentException.class);
        }
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO)) {
            wal.readAll();
            assertThatThrownBy(() -> wal.purge(1)).isInstanceOf(IllegalStateException.class);
        }
    }

    /** etcd TestValidSnapshotEntriesAfterPurgeWal and etcd#11918: purge old segments, then read. */
    @Test
    void verifyOpenAndRepairWorkAfterOldSegmentsArePurged() throws IOException {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            for (long i = 1; i <= 30; i++) {
                wal.save(new HardState(1, 1, i), entries(1, i, i, 1500));
                if (i % 10 == 0) {
                    wal.saveSnapshot(WalSnapshot.of(i, 1));
                }
            }
            wal.releaseLockTo(20);
        }
        List<SegmentName> names = listSegments();
        SegmentName keepFrom = names.stream().filter(n -> n.firstIndex() <= 20).reduce((a, b) -> b).orElseThrow();
        for (SegmentName name : names) {
            if (name.sequence() < keepFrom.sequence()) {
                Files.delete(dir().resolve(name.fileName()));
            }
        }
        assertThat(WalDirectory.validSnapshotEntries(dir())).contains(WalSnapshot.of(20, 1), WalSnapshot.of(30, 1));
        assertThat(WalDirectory.verifyOrThrow(dir(), WalSnapshot.of(20, 1))).isEqualTo(new HardState(1, 1, 30));
        assertThat(WalDirectory.repair(dir()).truncated()).isFalse();
        try (Wal wal = Wal.open(dir(), WalSnapshot.of(20, 1))) {
            assertThat(wal.readAll().entries()).extracting(Entry::index).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(21, 30).boxed().toList());
        }
    }

    /** etcd TestValidSnapshotEntries: only snapshots at or below the last commit are valid. */
    @Test
    void validSnapshotEntriesStopAtTheCommitIndex() {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.saveSnapshot(WalSnapshot.of(1, 1));
            wal.save(new HardState(1, 1, 1), entries(1, 2, 2, 10));
            wal.saveSnapshot(WalSnapshot.of(2, 1));
            wal.saveSnapshot(WalSnapshot.of(3, 2));
            wal.save(new HardState(2, 1, 2), List.of());
        }
        assertThat(WalDirectory.validSnapshotEntries(dir())).containsExactly(WalSnapshot.ZERO, WalSnapshot.of(1, 1),
                WalSnapshot.of(2, 1));
    }

    /** etcd TestVerify: verify passes a good WAL, and names corruption in a middle segment. */
    @Test
    void verifyFindsCorruptionInAMiddleSegment() throws IOException {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            for (long i = 1; i <= 20; i++) {
                wal.save(new HardState(1, 1, i), entries(1, i, i, 1500));
            }
        }
        assertThat(WalDirectory.verifyOrThrow(dir(), WalSnapshot.ZERO)).isEqualTo(new HardState(1, 1, 20));
        Path middle = dir().resolve(listSegments().get(1).fileName());
        flipByte(middle, 200);
        assertThatThrownBy(() -> WalDirectory.verifyOrThrow(dir(), WalSnapshot.ZERO)).isInstanceOf(WalCorruptionException.class)
                .satisfies(e -> assertThat(((WalException) e).file()).contains(middle));
    }

    @Test
    void verifyReportsSnapshotMismatchAndNotFound() {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.save(new HardState(1, 1, 1), entries(1, 1, 1, 10));
            wal.saveSnapshot(WalSnapshot.of(1, 1));
        }
        assertThatThrownBy(() -> WalDirectory.verifyOrThrow(dir(), WalSnapshot.of(1, 2))).isInstanceOf(SnapshotMismatchException.class);
        assertThatThrownBy(() -> WalDirectory.verifyOrThrow(dir(), WalSnapshot.of(5, 1))).isInstanceOf(SnapshotNotFoundException.class);
    }

    /** etcd TestSearchIndex via open: no segment at or before the index is "file not found". */
    @Test
    void openWithoutSegmentsIsNoWalFiles() throws IOException {
        Files.createDirectories(dir());
        assertThatThrownBy(() -> Wal.open(dir(), WalSnapshot.ZERO)).isInstanceOf(NoWalFilesException.class);
        assertThatThrownBy(() -> WalDirectory.validSnapshotEntries(dir())).isInstanceOf(NoWalFilesException.class);
    }

    @Test
    void aMissingSegmentIsASequenceGap() throws IOException {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            for (long i = 1; i <= 20; i++) {
                wal.save(new HardState(1, 1, i), entries(1, i, i, 1500));
            }
        }
        Files.delete(dir().resolve(listSegments().get(2).fileName()));
        assertThatThrownBy(() -> Wal.open(dir(), WalSnapshot.ZERO)).isInstanceOf(FileSequenceGapException.class);
    }

    /** etcd TestTailWriteNoSlackSpace: a segment filled to its preallocated end is cut and reopens. */
    @Test
    void aSegmentWithNoSlackSpaceReopensAndAppends() {
        WalOptions options = small().segmentSize(8192).build();
        try (Wal wal = Wal.create(dir(), METADATA, options)) {
            for (long i = 1; i <= 16; i++) {
                wal.save(new HardState(1, 1, i), entries(1, i, i, 480));
            }
        }
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).hasSize(16);
            for (long i = 17; i <= 32; i++) {
                wal.save(new HardState(1, 1, i), entries(1, i, i, 480));
            }
        }
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).hasSize(32);
        }
    }

    /** etcd TestRestartCreateWal: a create that crashed before its rename leaves a .tmp that is ignored. */
    @Test
    void aCrashedCreateIsRetried() throws IOException {
        Files.createDirectories(temp.resolve("wal.tmp"));
        Files.write(temp.resolve("wal.tmp").resolve(new SegmentName(0, 0).fileName()), new byte[100]);
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.save(new HardState(1, 1, 1), entries(1, 1, 1, 10));
        }
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO)) {
            assertThat(wal.readAll().metadata()).isEqualTo(METADATA);
        }
    }

    /**
     * etcd TestOpenOnTornWrite, as a torn write really looks: from a sector inside a record of
     * the tail to the end, nothing reached the disk. Repairing keeps everything before it; new
     * appends then read back after them. (etcd's test zeroes only the record's sectors and keeps
     * the records after them; jwal calls that corruption: see RepairTest.)
     */
    @Test
    void aTornWriteIsRepairedAndTheLogContinues() throws IOException {
        WalOptions options = small().segmentSize(1 << 20).build();
        List<Long> offsets = new ArrayList<>();
        try (Wal wal = Wal.create(dir(), METADATA, options)) {
            for (long i = 1; i <= 20; i++) {
                wal.save(new HardState(1, 1, i), entries(1, i, i, 600));
            }
        }
        Path tail = dir().resolve(new SegmentName(0, 0).fileName());
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).hasSize(20);
        }
        // zero one sector inside the record of entry 11: the write of it was torn
        long entry11 = findFrameOf(tail, 11);
        offsets.add(entry11);
        long sector = (entry11 / 512 + 1) * 512;
        zero(tail, sector, (int) (Files.size(tail) - sector));
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO, options)) {
            assertThatThrownBy(wal::readAll).isInstanceOf(UnexpectedEofException.class);
        }
        try (Wal reader = Wal.openForRead(dir(), WalSnapshot.ZERO, options)) {
            WalContents contents = reader.readAll();
            assertThat(contents.entries()).hasSize(10);
            assertThat(contents.tornTail()).isPresent();
        }
        RepairResult repaired = WalDirectory.repair(dir(), options);
        assertThat(repaired.truncated()).isTrue();
        assertThat(repaired.truncatedAt()).isEqualTo(entry11);
        assertThat(repaired.broken()).hasValue(tail.resolveSibling(tail.getFileName() + ".broken"));
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).hasSize(10);
            wal.save(new HardState(2, 1, 10), entries(2, 11, 15, 600));
        }
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO, options)) {
            WalContents contents = wal.readAll();
            assertThat(contents.entries()).hasSize(15);
            assertThat(contents.entries().get(14).term()).isEqualTo(2);
            assertThat(contents.tornTail()).isEmpty();
        }
    }

    /** etcd TestLastRecordLengthExceedFileEnd: a length beyond the file end is a torn tail, repairable. */
    @Test
    void aLastRecordLongerThanTheFileIsATornTail() throws IOException {
        WalOptions options = small().segmentSize(1 << 20).build();
        try (Wal wal = Wal.create(dir(), METADATA, options)) {
            wal.save(new HardState(1, 1, 1), entries(1, 1, 3, 100));
        }
        Path tail = dir().resolve(new SegmentName(0, 0).fileName());
        long third = findFrameOf(tail, 3);
        try (RandomAccessFile file = new RandomAccessFile(tail.toFile(), "rw")) {
            file.setLength(third + 40);
        }
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).hasSize(2);
        }
        assertThat(WalDirectory.repair(dir(), options).truncatedAt()).isEqualTo(third);
        try (Wal wal = Wal.open(dir(), WalSnapshot.ZERO, options)) {
            assertThat(wal.readAll().entries()).hasSize(2);
        }
    }

    @Test
    void metadataMustAgreeAcrossSegments() throws IOException {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.save(new HardState(1, 1, 3), entries(1, 1, 3, 10));
        }
        Path first = dir().resolve(new SegmentName(0, 0).fileName());
        // a second segment, correctly chained, whose metadata is another node's
        WalFrames.writeSegment(dir().resolve(new SegmentName(1, 4).fileName()), WalFrames.crcAtEnd(first),
                "node-2".getBytes(), entries(1, 4, 5, 10));
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO)) {
            assertThatThrownBy(wal::readAll).isInstanceOf(MetadataConflictException.class)
                    .hasMessageContaining(new SegmentName(1, 4).fileName());
        }
        assertThatThrownBy(() -> WalDirectory.verifyOrThrow(dir(), WalSnapshot.ZERO)).isInstanceOf(MetadataConflictException.class);
        // the inspector (jwal dump) gives the same verdict, after every record before the conflict
        List<dev.jwal.core.inspect.WalRecord> seen = new java.util.ArrayList<>();
        dev.jwal.core.inspect.ScanOutcome outcome = dev.jwal.core.inspect.WalInspector.withDefaults().scan(dir(),
                seen::add);
        assertThat(outcome.ending()).isEqualTo(dev.jwal.core.inspect.ScanOutcome.Ending.CORRUPT);
        assertThat(outcome.problem()).isInstanceOf(MetadataConflictException.class);
        assertThat(outcome.file().getFileName().toString()).isEqualTo(new SegmentName(1, 4).fileName());
        assertThat(seen).noneMatch(r -> r.file().getFileName().toString().equals(new SegmentName(1, 4).fileName())
                && r.kind() == dev.jwal.core.inspect.RecordKind.METADATA);
    }

    @Test
    void segmentsWrittenElsewhereChainOn() throws IOException {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.save(new HardState(1, 1, 3), entries(1, 1, 3, 10));
        }
        Path first = dir().resolve(new SegmentName(0, 0).fileName());
        WalFrames.writeSegment(dir().resolve(new SegmentName(1, 4).fileName()), WalFrames.crcAtEnd(first), METADATA,
                entries(1, 4, 5, 10));
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO)) {
            assertThat(wal.readAll().entries()).hasSize(5);
        }
        WalFrames.writeSegment(dir().resolve(new SegmentName(1, 4).fileName()), WalFrames.crcAtEnd(first) ^ 1,
                METADATA, entries(1, 4, 5, 10));
        try (Wal wal = Wal.openForRead(dir(), WalSnapshot.ZERO)) {
            assertThatThrownBy(wal::readAll).isInstanceOf(CrcMismatchException.class);
        }
    }

    @Test
    void recordsOverTheLimitAreRefusedBeforeAnythingIsWritten() throws IOException {
        WalOptions options = small().maxRecordSize(1024).build();
        try (Wal wal = Wal.create(dir(), METADATA, options)) {
            wal.save(new HardState(1, 1, 1), entries(1, 1, 1, 10));
            wal.sync();
            byte[] before = Files.readAllBytes(dir().resolve(new SegmentName(0, 0).fileName()));
            List<Entry> batch = new ArrayList<>(entries(1, 2, 3, 10));
            batch.add(Entry.normal(1, 4, new byte[2000]));
            assertThatThrownBy(() -> wal.save(new HardState(1, 1, 2), batch)).isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("entry 4");
            wal.sync();
            assertThat(Files.readAllBytes(dir().resolve(new SegmentName(0, 0).fileName()))).isEqualTo(before);
            wal.save(new HardState(1, 1, 2), entries(1, 2, 2, 10));
        }
    }

    @Test
    void aFailedFsyncPoisonsTheWalAndDurableDataStillOpens() {
        FaultyDisk disk = FaultyDisk.failingFrom(FaultyDisk.Operation.SYNC, 3, "EIO");
        WalOptions options = small().syncPolicy(SyncPolicy.ALWAYS).segmentSize(1 << 20).disk(disk).build();
        List<WalException> observed = new ArrayList<>();
        WalOptions observedOptions = options.toBuilder().listener(new WalListener() {
            @Override
            public void failed(WalException error) {
                observed.add(error);
            }
        }).build();
        Wal wal = Wal.create(dir(), METADATA, observedOptions);
        wal.save(new HardState(1, 1, 1), entries(1, 1, 1, 10));
        assertThatThrownBy(() -> wal.save(new HardState(1, 1, 2), entries(1, 2, 2, 10)))
                .isInstanceOf(WalIoException.class).hasMessageContaining("EIO");
        assertThat(wal.poisonCause()).isPresent();
        assertThat(observed).hasSize(1);
        assertThatThrownBy(() -> wal.save(new HardState(1, 1, 3), entries(1, 3, 3, 10)))
                .isInstanceOf(WalPoisonedException.class).hasMessageContaining("EIO");
        assertThatThrownBy(wal::sync).isInstanceOf(WalPoisonedException.class);
        assertThatThrownBy(() -> wal.saveSnapshot(WalSnapshot.of(1, 1))).isInstanceOf(WalPoisonedException.class);
        wal.close();
        try (Wal reopened = Wal.open(dir(), WalSnapshot.ZERO)) {
            assertThat(reopened.readAll().entries()).extracting(Entry::index).startsWith(1L);
        }
    }

    @Test
    void aFailedCutPoisonsTheWalAndTheLogStillOpens() {
        FaultyDisk disk = FaultyDisk.failingFrom(FaultyDisk.Operation.RENAME, 1, "No space left on device");
        WalOptions options = small().disk(disk).build();
        Wal wal = Wal.create(dir(), METADATA, small().build());
        wal.close();
        Wal writer = Wal.open(dir(), WalSnapshot.ZERO, options);
        writer.readAll();
        long saved = 0;
        try {
            for (long i = 1; i <= 20; i++) {
                writer.save(new HardState(1, 1, i), entries(1, i, i, 1500));
                saved = i;
            }
        } catch (WalException expected) {
            // The save that filled the segment is durable once the tail is synced and returns;
            // the cut's rename fails after it, on the log writer or in the next save, and the
            // next save is refused either way: WalIoException or, naming it, WalPoisonedException.
            assertThat(expected).isInstanceOfAny(WalIoException.class, WalPoisonedException.class)
                    .hasMessageContaining("No space left");
        }
        assertThat(writer.poisonCause()).hasValueSatisfying(
                cause -> assertThat(cause).hasMessageContaining("No space left"));
        writer.close();
        assertThat(saved).isLessThan(20);
        try (Wal reopened = Wal.open(dir(), WalSnapshot.ZERO)) {
            List<Entry> read = reopened.readAll().entries();
            assertThat(read.size()).isGreaterThanOrEqualTo((int) saved);
        }
    }

    /**
     * Issue 37: the poison names the operation that failed. A pwrite's EIO was reported as a failed
     * sync, and a directory fsync's EIO during a cut as a failed write of a save.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        // the n-th call fails; a writable open syncs the tail and the directory once before reading
        "WRITE, 1, 'wal: writing to 0000000000000000-0000000000000000.wal failed'",
        "SYNC, 2, 'wal: syncing 0000000000000000-0000000000000000.wal failed'",
        "SYNC_DIRECTORY, 2, 'wal: syncing the directory after cutting 0000000000000001-'",
        "RENAME, 1, 'wal: renaming the spare segment into place as 0000000000000001-'",
        "TRUNCATE, 1, 'wal: cutting the full segment to its records: 0000000000000000-0000000000000000.wal'"})
    void thePoisonNamesTheOperationThatFailed(FaultyDisk.Operation operation, int nth, String named) {
        Wal.create(dir(), METADATA, small().build()).close();
        Wal writer = Wal.open(dir(), WalSnapshot.ZERO,
                small().syncPolicy(SyncPolicy.ALWAYS).disk(FaultyDisk.failingFrom(operation, nth, "EIO")).build());
        writer.readAll();
        try {
            for (long i = 1; i <= 20 && writer.poisonCause().isEmpty(); i++) {
                writer.save(new HardState(1, 1, i), entries(1, i, i, 1500));
            }
        } catch (WalException expected) {
            // the save that met the failure, or the one after it, once the WAL is poisoned
        } finally {
            writer.close();
        }
        assertThat(writer.poisonCause()).hasValueSatisfying(cause -> assertThat(cause).hasMessageContaining(named));
    }

    /** Saves, syncs and snapshots from many threads never interleave inside a record or a save. */
    @Test
    void concurrentCallersNeverInterleaveRecords() throws Exception {
        int threads = 8;
        int savesEach = 150;
        WalOptions options = small().build();
        java.util.concurrent.atomic.AtomicLong index = new java.util.concurrent.atomic.AtomicLong();
        try (Wal wal = Wal.create(dir(), METADATA, options)) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < savesEach; i++) {
                        // two entries per save, so that a save split by another would show; indexes
                        // are taken and handed over together, as a raft node's log does
                        java.util.concurrent.CompletableFuture<Void> saved;
                        synchronized (index) {
                            long at = index.addAndGet(2);
                            saved = wal.saveAsync(new HardState(1, 1, 0), List.of(
                                    Entry.normal(1, at - 1, new byte[thread * 40]),
                                    Entry.normal(1, at, new byte[thread * 40])));
                        }
                        saved.join();
                        if (i % 50 == thread) {
                            wal.sync();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
        WalDirectory.verifyOrThrow(dir(), WalSnapshot.ZERO, options);
        List<Long> entryIndexes = new ArrayList<>();
        for (SegmentName name : listSegments()) {
            WalFrames.list(dir().resolve(name.fileName())).stream().filter(f -> f.entryIndex() >= 0)
                    .forEach(f -> entryIndexes.add(f.entryIndex()));
        }
        assertThat(entryIndexes).hasSize(threads * savesEach * 2);
        for (int i = 0; i < entryIndexes.size(); i += 2) {
            assertThat(entryIndexes.get(i + 1)).as("the two entries of one save are adjacent")
                    .isEqualTo(entryIndexes.get(i) + 1);
        }
        assertThat(new java.util.HashSet<>(entryIndexes)).hasSize(threads * savesEach * 2);
    }

    @Test
    void closedWalRefusesWork() {
        Wal wal = Wal.create(dir(), METADATA, small().build());
        wal.close();
        wal.close();
        assertThat(wal.isClosed()).isTrue();
        assertThatThrownBy(() -> wal.save(new HardState(1, 1, 1), List.of())).isInstanceOf(WalClosedException.class);
        assertThatThrownBy(wal::sync).isInstanceOf(WalClosedException.class);
        assertThatThrownBy(wal::readAll).isInstanceOf(WalClosedException.class);
    }

    @Test
    void closeRemovesTheSpareAndReadAllIsOnce() throws IOException {
        try (Wal wal = Wal.open(createWithEntries(), WalSnapshot.ZERO)) {
            wal.readAll();
            assertThatThrownBy(wal::readAll).isInstanceOf(IllegalStateException.class);
        }
        try (Stream<Path> files = Files.list(dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void appendingBeforeReadAllIsRefused() {
        try (Wal wal = Wal.open(createWithEntries(), WalSnapshot.ZERO)) {
            assertThatThrownBy(() -> wal.save(new HardState(1, 1, 1), List.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("readAll");
        }
    }

    @Test
    void openZeroesStaleBytesAfterTheLastRecord() throws IOException {
        Path wal = createWithEntries();
        Path tail = dir().resolve(new SegmentName(0, 0).fileName());
        long end = findEnd(tail);
        // garbage left by a torn write behind a zero length field
        try (RandomAccessFile file = new RandomAccessFile(tail.toFile(), "rw")) {
            file.seek(end + 64);
            file.write(new byte[] {1, 2, 3, 4, 5});
        }
        try (Wal w = Wal.open(wal, WalSnapshot.ZERO)) {
            w.readAll();
            w.save(new HardState(1, 1, 4), entries(1, 4, 4, 100));
        }
        try (Wal w = Wal.openForRead(wal, WalSnapshot.ZERO)) {
            assertThat(w.readAll().entries()).hasSize(4);
        }
    }

    private Path createWithEntries() {
        try (Wal wal = Wal.create(dir(), METADATA, small().build())) {
            wal.save(new HardState(1, 1, 3), entries(1, 1, 3, 10));
        }
        return dir();
    }

    private List<SegmentName> listSegments() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> SegmentName.parse(p.getFileName().toString())).flatMap(java.util.Optional::stream)
                    .sorted(java.util.Comparator.comparing(SegmentName::fileName)).toList();
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0xFF);
        }
    }

    private static void zero(Path file, long offset, int length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(new byte[length]);
        }
    }

    /** The offset of the frame holding the entry with this index, in a single-segment WAL. */
    private static long findFrameOf(Path segment, long index) throws IOException {
        return WalFrames.list(segment).stream().filter(f -> f.entryIndex() == index).findFirst().orElseThrow()
                .offset();
    }

    private static long findEnd(Path segment) throws IOException {
        List<WalFrames.Frame> frames = WalFrames.list(segment);
        return frames.get(frames.size() - 1).end();
    }
}

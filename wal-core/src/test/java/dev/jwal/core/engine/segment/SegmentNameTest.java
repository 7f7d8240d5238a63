package dev.jwal.core.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.FileSequenceGapException;
import dev.jwal.core.NoWalFilesException;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's TestScanWalName and TestSearchIndex in intent. */
class SegmentNameTest {

    @TempDir
    Path dir;

    @Test
    void namesParseAndFormatAsEtcds() {
        assertThat(SegmentName.parse("0000000000000000-0000000000000000.wal")).hasValue(new SegmentName(0, 0));
        assertThat(SegmentName.parse("000000000000000a-00000000000003e8.wal")).hasValue(new SegmentName(10, 1000));
        assertThat(new SegmentName(10, 1000).fileName()).isEqualTo("000000000000000a-00000000000003e8.wal");
        assertThat(new SegmentName(-1, -1).fileName()).isEqualTo("ffffffffffffffff-ffffffffffffffff.wal");
        assertThat(SegmentName.parse("ffffffffffffffff-ffffffffffffffff.wal")).hasValue(new SegmentName(-1, -1));
        assertThat(SegmentName.parse("0000000000000000-0000000000000000.snap")).isEmpty();
        assertThat(SegmentName.parse("0000000000000000.wal")).isEmpty();
        assertThat(SegmentName.parse("0.tmp")).isEmpty();
        assertThat(SegmentName.parse("0000000000000000-0000000000000000.wal.broken")).isEmpty();
    }

    private void touch(String... names) throws IOException {
        for (String name : names) {
            Files.createFile(dir.resolve(name));
        }
    }

    @Test
    void searchPicksTheLastSegmentStartingAtOrBeforeTheIndex() throws IOException {
        touch("0000000000000000-0000000000000000.wal", "0000000000000001-0000000000000010.wal",
                "0000000000000002-0000000000000020.wal", "0.tmp", "notes.txt");
        assertThat(SegmentDirectory.selectFrom(RealDisk.INSTANCE, dir, 0)).hasSize(3);
        assertThat(SegmentDirectory.selectFrom(RealDisk.INSTANCE, dir, 0x10)).extracting(SegmentName::sequence)
                .containsExactly(1L, 2L);
        assertThat(SegmentDirectory.selectFrom(RealDisk.INSTANCE, dir, 0x1f)).extracting(SegmentName::sequence)
                .containsExactly(1L, 2L);
        assertThat(SegmentDirectory.selectFrom(RealDisk.INSTANCE, dir, 0x100)).extracting(SegmentName::sequence)
                .containsExactly(2L);
    }

    @Test
    void anIndexBeforeTheFirstSegmentIsNotFound() throws IOException {
        touch("0000000000000005-0000000000000100.wal");
        assertThatThrownBy(() -> SegmentDirectory.selectFrom(RealDisk.INSTANCE, dir, 0x50))
                .isInstanceOf(NoWalFilesException.class);
    }

    @Test
    void aGapInSequenceNumbersIsRefused() throws IOException {
        touch("0000000000000000-0000000000000000.wal", "0000000000000002-0000000000000020.wal");
        assertThatThrownBy(() -> SegmentDirectory.selectFrom(RealDisk.INSTANCE, dir, 0))
                .isInstanceOf(FileSequenceGapException.class);
        // starting past the gap too (etcd only checks the segments it reads): a gap anywhere is
        // damage to the directory, the same whatever snapshot a reader starts from
        assertThatThrownBy(() -> SegmentDirectory.selectFrom(RealDisk.INSTANCE, dir, 0x20))
                .isInstanceOf(FileSequenceGapException.class);
    }
}

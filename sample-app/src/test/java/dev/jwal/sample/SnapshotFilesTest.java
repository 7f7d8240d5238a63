package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFilesTest {

    @TempDir
    Path temp;

    private SnapshotFiles files() {
        return new SnapshotFiles(temp.resolve("snap"));
    }

    private static KvSnapshot snapshot(long index, int keys) {
        TreeMap<String, ByteString> values = new TreeMap<>();
        for (int i = 0; i < keys; i++) {
            values.put("key-" + i, ByteString.copyFromUtf8("value " + i + " of snapshot " + index));
        }
        return new KvSnapshot(index, dev.jwal.core.log.WalLog.TERM, values);
    }

    @Test
    void aSnapshotReadsBackAsWrittenUnderEtcdsNaming() throws IOException {
        KvSnapshot written = snapshot(42, 100);
        Path file = files().write(written);
        assertThat(file.getFileName()).hasToString("0000000000000001-000000000000002a.snap");
        assertThat(files().read(file)).isEqualTo(written);
        assertThat(file.getParent()).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void anEmptySnapshotReadsBack() throws IOException {
        KvSnapshot empty = snapshot(7, 0);
        assertThat(files().read(files().write(empty))).isEqualTo(empty);
    }

    /** Every byte of the file is covered: flipping any one of them is detected. */
    @Test
    void aFlipOfAnyByteIsDetected() throws IOException {
        Path file = files().write(snapshot(9, 5));
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x40;
            Files.write(file, bad);
            int offset = i;
            assertThatThrownBy(() -> files().read(file)).as("byte %d", offset)
                    .isInstanceOf(SnapshotCorruptException.class).hasMessageContaining(file.toString());
        }
    }

    @Test
    void aFileCutShortOrWithBytesAfterItsChecksumIsDetected() throws IOException {
        Path file = files().write(snapshot(9, 5));
        byte[] good = Files.readAllBytes(file);
        for (int length = 0; length < good.length; length++) {
            Files.write(file, Arrays.copyOf(good, length));
            assertThatThrownBy(() -> files().read(file)).isInstanceOf(SnapshotCorruptException.class);
        }
        Files.write(file, Arrays.copyOf(good, good.length + 1));
        assertThatThrownBy(() -> files().read(file)).hasMessageContaining("bytes follow its checksum");
    }

    @Test
    void loadingSkipsSnapshotsTheWalDoesNotKnowAndSetsBrokenOnesAside() throws IOException {
        SnapshotFiles files = files();
        files.write(snapshot(10, 3));
        files.write(snapshot(20, 3));
        Path broken = files.write(snapshot(30, 3));
        files.write(snapshot(40, 3));
        byte[] bytes = Files.readAllBytes(broken);
        bytes[bytes.length / 2] ^= 1;
        Files.write(broken, bytes);

        // 40 was written but never recorded in the WAL (a crash in between); 30 is corrupt
        assertThat(files.loadNewest(marker -> marker.index() <= 30)).hasValueSatisfying(
                s -> assertThat(s.index()).isEqualTo(20));
        assertThat(broken).doesNotExist();
        assertThat(broken.resolveSibling(broken.getFileName() + ".broken")).exists();
        assertThat(files.list()).extracting(p -> p.getFileName().toString()).containsExactly(
                SnapshotFiles.fileName(1, 10), SnapshotFiles.fileName(1, 20), SnapshotFiles.fileName(1, 40));
        assertThat(files.loadNewest(marker -> false)).isEmpty();
    }

    @Test
    void retentionKeepsTheNewest() throws IOException {
        SnapshotFiles files = files();
        for (long index = 1; index <= 5; index++) {
            files.write(snapshot(index * 10, 1));
        }
        List<Path> deleted = files.retain(2);
        assertThat(deleted).extracting(p -> p.getFileName().toString()).containsExactly(
                SnapshotFiles.fileName(1, 10), SnapshotFiles.fileName(1, 20), SnapshotFiles.fileName(1, 30));
        assertThat(files.list()).extracting(p -> p.getFileName().toString()).containsExactly(
                SnapshotFiles.fileName(1, 40), SnapshotFiles.fileName(1, 50));
    }

    @Test
    void unfinishedWritesAreRemoved() throws IOException {
        SnapshotFiles files = files();
        Path kept = files.write(snapshot(10, 1));
        Path unfinished = kept.resolveSibling(SnapshotFiles.fileName(1, 20) + ".tmp");
        Files.write(unfinished, new byte[] {1, 2, 3});
        files.removeTemporaryFiles();
        assertThat(unfinished).doesNotExist();
        assertThat(kept).exists();
        assertThat(new SnapshotFiles(temp.resolve("absent")).list()).isEmpty();
    }
}

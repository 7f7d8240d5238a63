package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory's lock and the permissions of what the sample creates. */
@SuppressWarnings("try") // locks are held by try blocks that never name them
class DataDirectoryLockTest {

    @TempDir
    Path temp;

    @Test
    void aSecondHolderIsRefusedUntilTheFirstLetsGo() {
        Path data = temp.resolve("data");
        try (DataDirectoryLock first = DataDirectoryLock.acquire(data)) {
            assertThatThrownBy(() -> DataDirectoryLock.acquire(data)).isInstanceOf(DataDirectoryInUseException.class)
                    .hasMessageContaining(data.toString());
        }
        DataDirectoryLock.acquire(data).close();
    }

    /** Issue 37: the lock file was 0644 under umask 022 and 0666 under umask 000; now 0600 as every other file. */
    @Test
    void theLockFileIsPrivateEvenWhenAnOlderRunLeftItOpen() throws IOException {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        Path lockFile = data.resolve(DataDirectoryLock.FILE_NAME);
        Files.createFile(lockFile);
        Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-rw-rw-"));
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lockFile))).isEqualTo("rw-------");
        }
        Path fresh = temp.resolve("fresh");
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(fresh)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    fresh.resolve(DataDirectoryLock.FILE_NAME)))).isEqualTo("rw-------");
        }
    }

    @Test
    void theDataAndSnapshotDirectoriesArePrivate() throws IOException {
        Path data = temp.resolve("data");
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data)) {
            SnapshotFiles snapshots = new SnapshotFiles(data.resolve("snap"));
            TreeMap<String, ByteString> values = new TreeMap<>(Map.of("k", ByteString.copyFromUtf8("v")));
            Path file = snapshots.write(new KvSnapshot(5, dev.jwal.core.log.WalLog.TERM, values));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("snap"))))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }
}

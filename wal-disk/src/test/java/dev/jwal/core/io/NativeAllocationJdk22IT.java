package dev.jwal.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java 22 class of the multi-release jar: {@code fallocate} through the FFM API. Run by the
 * {@code java22} profile on that JDK, against the jar, with native access enabled.
 */
class NativeAllocationJdk22IT {

    private static final long SIZE = 4L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void theJarsJava22ClassIsTheOneLoaded() {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(22);
        assertThat(NativeAllocation.unavailableReason()).isEmpty();
    }

    @Test
    void aReservedFileReadsAsZerosHasItsBlocksAndIsPrivate() throws Exception {
        Path file = dir.resolve("0.tmp");
        assertThat(RealDisk.INSTANCE.reserve(file, SIZE)).isTrue();
        assertThat(Files.size(file)).isEqualTo(SIZE);
        assertThat(Files.readAllBytes(file)).containsOnly(0);
        assertThat(allocatedBytes(file)).as("blocks reserved, not a sparse file").isGreaterThanOrEqualTo(SIZE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aLeftoverFileIsEmptiedFirst() throws IOException {
        Path file = dir.resolve("1.tmp");
        Files.write(file, "a half-written header".getBytes(StandardCharsets.UTF_8));
        assertThat(RealDisk.INSTANCE.reserve(file, 8192)).isTrue();
        assertThat(Files.readAllBytes(file)).hasSize(8192).containsOnly(0);
    }

    @Test
    void aFileThisJvmHasOpenIsLeftAloneAndKeepsItsLock() throws IOException {
        Path file = dir.resolve("held");
        try (DiskFile held = RealDisk.INSTANCE.openForWrite(file, true)) {
            assertThat(held.tryLock()).isTrue();
            held.write(java.nio.ByteBuffer.wrap(new byte[] {7}), 0);
            assertThat(RealDisk.INSTANCE.reserve(file, 8192)).isFalse();
            assertThat(held.isLocked()).isTrue();
            assertThat(Files.readAllBytes(file)).containsExactly(7);
        }
    }

    @Test
    void aFileThatCannotBeOpenedNamesItsPath() {
        Path file = dir.resolve("no-such-directory").resolve("0.tmp");
        assertThatThrownBy(() -> RealDisk.INSTANCE.reserve(file, 8192)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("errno 2");
    }

    /** Bytes of blocks the file system holds for {@code file}, from stat(1). */
    private static long allocatedBytes(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String[] out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
        assertThat(stat.waitFor()).isZero();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}

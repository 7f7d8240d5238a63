package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files private to their owner, as etcd makes them; no descriptor or lock outlives its use. */
class HygieneTest {

    @TempDir
    Path temp;

    @Test
    void segmentsAre0600AndDirectories0700() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path dir = temp.resolve("a/b/wal");
        WalOptions options = WalOptions.builder().segmentSize(1024).preallocate(false).build();
        try (Wal wal = Wal.create(dir, WalFixtures.METADATA, options)) {
            for (long index = 1; index <= 30; index++) {
                wal.save(new HardState(1, 1, index), WalFixtures.entries(1, index, index, 100));
            }
        }
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(temp.resolve("a"))).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> list = Files.walk(dir)) {
            files = list.filter(path -> !path.equals(dir)).toList();
        }
        assertThat(files).hasSizeGreaterThan(2);
        // the sealed segments' index files too
        assertThat(files).anyMatch(path -> path.getParent().endsWith(WalDirectory.INDEX_DIRECTORY));
        for (Path file : files) {
            assertThat(mode(file)).as(file.toString()).isEqualTo(Files.isDirectory(file) ? "rwx------" : "rw-------");
        }
    }

    /**
     * Thousands of opens that fail — locked, corrupt, not a WAL, not empty — and of reads, verifies
     * and repairs, each closed or failed: the process holds no more descriptors afterwards.
     */
    @Test
    void noDescriptorLeaksOnAnyPath() throws IOException {
        Path proc = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(proc));
        Path good = temp.resolve("good");
        Path corrupt = temp.resolve("corrupt");
        WalOptions options = WalOptions.builder().segmentSize(4096).preallocate(false).build();
        for (Path dir : List.of(good, corrupt)) {
            try (Wal wal = Wal.create(dir, WalFixtures.METADATA, options)) {
                wal.save(new HardState(1, 1, 10), WalFixtures.entries(1, 1, 10, 300));
            }
        }
        Path corruptSegment;
        try (Stream<Path> list = Files.list(corrupt)) {
            corruptSegment = list.filter(p -> p.toString().endsWith(".wal")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(corruptSegment);
        bytes[200] ^= 1;
        Files.write(corruptSegment, bytes);
        Path notEmpty = temp.resolve("not-empty");
        Files.createDirectories(notEmpty);
        Files.writeString(notEmpty.resolve("other"), "x");

        Wal holder = Wal.open(good, WalSnapshot.ZERO, options);
        holder.readAll();
        for (int round = 0; round < 20; round++) {
            // warm up whatever the JDK opens once and keeps (class loading, zip files)
            cycle(good, corrupt, notEmpty, options);
        }
        long before = descriptors(proc);
        for (int round = 0; round < 1000; round++) {
            cycle(good, corrupt, notEmpty, options);
        }
        long after = descriptors(proc);
        holder.close();
        assertThat(after).as("descriptors before %d, after 1,000 rounds %d", before, after).isLessThanOrEqualTo(before);
    }

    private static void cycle(Path good, Path corrupt, Path notEmpty, WalOptions options) {
        assertThatThrownBy(() -> Wal.open(good, WalSnapshot.ZERO, options)).isInstanceOf(WalLockedException.class);
        assertThatThrownBy(() -> {
            try (Wal wal = Wal.openForRead(corrupt, WalSnapshot.ZERO, options)) {
                wal.readAll();
            }
        }).isInstanceOf(WalCorruptionException.class);
        assertThatThrownBy(() -> WalDirectory.verifyOrThrow(corrupt, WalSnapshot.ZERO, options)).isInstanceOf(WalException.class);
        assertThatThrownBy(() -> WalDirectory.repair(corrupt, options)).isInstanceOf(WalException.class);
        assertThatThrownBy(() -> Wal.create(notEmpty, null, options)).isInstanceOf(WalExistsException.class);
        assertThatThrownBy(() -> Wal.open(notEmpty, WalSnapshot.ZERO, options)).isInstanceOf(WalException.class);
        try (Wal reader = Wal.openForRead(good, WalSnapshot.ZERO, options)) {
            assertThat(reader.readAll().entries()).hasSize(10);
        }
        assertThat(WalDirectory.verifyOrThrow(good, WalSnapshot.ZERO, options)).isEqualTo(new HardState(1, 1, 10));
    }

    private static long descriptors(Path proc) throws IOException {
        try (Stream<Path> fds = Files.list(proc)) {
            return fds.count();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}

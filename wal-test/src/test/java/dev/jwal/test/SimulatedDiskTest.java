package dev.jwal.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.io.DiskFile;
import dev.jwal.test.SimulatedDisk.CrashMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The simulated disk keeps exactly what was made durable, and loses what a crash may lose. */
class SimulatedDiskTest {

    private final SimulatedDisk disk = new SimulatedDisk();
    private final Path dir = Path.of("/data");
    private final Path file = dir.resolve("f");

    private static ByteBuffer bytes(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return ByteBuffer.wrap(b);
    }

    private void writeSyncedThenPending() throws IOException {
        disk.createDirectories(dir);
        disk.syncDirectory(Path.of("/"));
        try (DiskFile f = disk.openForWrite(file, true)) {
            f.write(bytes(1000, 1), 0);
            f.sync();
            disk.syncDirectory(dir);
            f.write(bytes(1000, 2), 1000);
        }
    }

    @Test
    void aPowerLossKeepsWhatWasSyncedAndNothingElse() throws IOException {
        writeSyncedThenPending();
        disk.crash(CrashMode.DROP_ALL, 1);
        assertThat(disk.contents(file)).hasSize(1000).containsOnly(1);
    }

    @Test
    void aProcessCrashKeepsEverythingWritten() throws IOException {
        writeSyncedThenPending();
        disk.crash(CrashMode.KEEP_ALL, 1);
        byte[] contents = disk.contents(file);
        assertThat(contents).hasSize(2000);
        assertThat(contents[1999]).isEqualTo((byte) 2);
    }

    @Test
    void partialCrashesKeepWholeOrTornSectorsOfWhatWasPending() throws IOException {
        for (CrashMode mode : new CrashMode[] {CrashMode.PREFIX, CrashMode.RANDOM_SECTORS, CrashMode.TORN_SECTOR}) {
            for (long seed = 0; seed < 20; seed++) {
                SimulatedDisk fresh = new SimulatedDisk();
                fresh.createDirectories(dir);
                fresh.syncDirectory(Path.of("/"));
                try (DiskFile f = fresh.openForWrite(file, true)) {
                    f.write(bytes(1000, 1), 0);
                    f.sync();
                    fresh.syncDirectory(dir);
                    f.write(bytes(1000, 2), 1000);
                }
                fresh.crash(mode, seed);
                byte[] contents = fresh.contents(file);
                assertThat(Arrays.copyOf(contents, 1000)).as("synced bytes survive %s", mode).containsOnly(1);
                for (int i = 1000; i < contents.length; i++) {
                    assertThat(contents[i]).isIn((byte) 0, (byte) 2);
                }
            }
        }
    }

    @Test
    void aRenameIsLostWithoutADirectorySyncAndKeptWithOne() throws IOException {
        writeSyncedThenPending();
        disk.rename(file, dir.resolve("g"));
        disk.crash(CrashMode.DROP_ALL, 1);
        assertThat(disk.list(dir)).containsExactly("f");

        disk.rename(file, dir.resolve("g"));
        disk.syncDirectory(dir);
        disk.crash(CrashMode.DROP_ALL, 1);
        assertThat(disk.list(dir)).containsExactly("g");
    }

    @Test
    void theNthCallFailsOnceAndThePowerCutStopsEverything() throws IOException {
        writeSyncedThenPending();
        disk.failOn(SimulatedDisk.Op.SYNC, 2, "EIO");
        try (DiskFile f = disk.openForWrite(file, false)) {
            f.sync();
            assertThatThrownBy(f::sync).hasMessage("EIO");
            f.sync();
            disk.powerLossAfter(1);
            assertThatThrownBy(() -> f.write(bytes(1, 3), 0)).hasMessage("simulated power loss");
            assertThatThrownBy(f::sync).hasMessage("simulated power loss");
        }
        disk.crash(CrashMode.KEEP_ALL, 1);
        assertThat(disk.contents(file)).hasSize(2000);
    }

    @Test
    void writesBeyondTheCapacityFail() throws IOException {
        disk.createDirectories(dir);
        disk.capacity(1500);
        try (DiskFile f = disk.openForWrite(file, true)) {
            f.write(bytes(1000, 1), 0);
            assertThatThrownBy(() -> f.write(bytes(1000, 1), 1000)).hasMessage("No space left on device");
            assertThatThrownBy(() -> f.extend(4096, true)).hasMessage("No space left on device");
        }
    }
}

package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.test.SimulatedDisk.CrashMode;
import dev.jwal.test.SimulatedDisk;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A purge that the power interrupts part-way must leave the segments a consecutive run. The
 * directory keeps unsynced deletions in no particular order, so a later segment's deletion may
 * survive a crash that an earlier one's does not: the surviving older segment then chains to a
 * segment whose CRC record does not follow from it, and etcd's {@code ValidSnapshotEntries} (which
 * reads every segment) stops at a CRC mismatch. Deleting oldest first with a directory fsync after
 * each deletion makes what survives always a prefix of the deletions. A failed deletion poisons
 * the WAL, as it ends an etcd server.
 */
class PurgeCrashTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aPurgeCutShortLeavesAWalThatOpens(long seed) throws java.io.IOException {
        SimulatedDisk disk = new SimulatedDisk();
        WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.ALWAYS).segmentSize(1024).preallocate(false)
                .callerWrites(seed % 2 == 0).disk(disk).build();
        try (Wal wal = Wal.create(PowerLossTest.DIR, WalFixtures.METADATA, options)) {
            for (long i = 1; i <= 40; i++) {
                wal.save(new HardState(1, 0, i), WalFixtures.entries(1, i, i, 200));
            }
            wal.saveSnapshot(WalSnapshot.of(35, 1));
            wal.releaseLockTo(35);
            assertThat(disk.list(PowerLossTest.DIR)).as("enough segments to purge several").hasSizeGreaterThan(6);
            disk.failOn(SimulatedDisk.Op.DELETE, 4, "injected delete failure");
            assertThatThrownBy(() -> wal.purge(1)).isInstanceOf(WalIoException.class)
                    .hasStackTraceContaining("injected delete failure");
            assertThatThrownBy(() -> wal.save(new HardState(1, 0, 40), WalFixtures.entries(1, 41, 41, 10)))
                    .as("a failed purge poisons, as it ends an etcd server").isInstanceOf(WalPoisonedException.class);
            disk.cutPower();
        } catch (WalException closingWithoutPower) {
            // the power is gone: the close cannot sync
        }
        disk.crash(CrashMode.values()[(int) (seed % CrashMode.values().length)], seed);

        List<WalSnapshot> snapshots = WalDirectory.validSnapshotEntries(PowerLossTest.DIR, options);
        assertThat(snapshots).as("seed %d", seed).contains(WalSnapshot.of(35, 1));
        try (Wal wal = Wal.open(PowerLossTest.DIR, WalSnapshot.of(35, 1), options)) {
            WalContents contents = wal.readAll();
            assertThat(contents.entries()).extracting(Entry::index).containsExactly(36L, 37L, 38L, 39L, 40L);
            assertThat(contents.hardState().commit()).isEqualTo(40);
        }
    }
}

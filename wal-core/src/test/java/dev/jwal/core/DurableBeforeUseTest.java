package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.test.SimulatedDisk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What recovery hands over survives a power loss: after a process crash the page cache still
 * holds unsynced saves, a writable open reads them, so it must make them durable first.
 */
class DurableBeforeUseTest {

    private static final Path DIR = Path.of("/sim/node/wal");

    @Test
    void whatAWritableOpenReadsAfterAProcessCrashSurvivesALaterPowerLoss() {
        SimulatedDisk disk = new SimulatedDisk();
        WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.NONE).segmentSize(2048).preallocate(false)
                .disk(disk).build();
        List<Entry> saved = WalFixtures.entries(1, 1, 40, 100);
        Wal wal = Wal.create(DIR, null, options);
        for (Entry entry : saved) {
            wal.save(new HardState(1, 1, entry.index()), List.of(entry));
        }
        // the process dies: nothing synced under NONE, the page cache (the simulated disk) keeps it all
        wal.engine.abandon();
        // recovery streams the entries to the application, and the machine loses power while it
        // handles the last one (which sat in the tail segment, never synced before this open)
        List<Entry> handed = new java.util.ArrayList<>();
        Wal reopened = Wal.open(DIR, WalSnapshot.ZERO, options);
        try {
            reopened.replay(new WalReplayHandler() {
                @Override
                public void entry(Entry entry) {
                    handed.add(entry);
                    if (entry.index() == saved.size()) {
                        disk.cutPower();
                        disk.crash(SimulatedDisk.CrashMode.DROP_ALL, 1);
                        throw new IllegalStateException("power lost");
                    }
                }

                @Override
                public void truncated(long index) {
                }
            });
        } catch (IllegalStateException expected) {
            // the power cut, as the handler staged it
        } finally {
            reopened.engine.abandon();
        }
        assertThat(handed).isEqualTo(saved);
        // only what was made durable survives: everything recovery handed over
        try (Wal afterPowerLoss = Wal.openForRead(DIR, WalSnapshot.ZERO, options)) {
            assertThat(afterPowerLoss.readAll().entries()).isEqualTo(saved);
        }
    }

    @Test
    void aReadOnlyOpenSyncsNothing() {
        SimulatedDisk disk = new SimulatedDisk();
        WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.NONE).preallocate(false).disk(disk).build();
        Wal wal = Wal.create(DIR, null, options);
        wal.save(new HardState(1, 1, 1), WalFixtures.entries(1, 1, 1, 10));
        wal.engine.abandon();
        try (Wal readOnly = Wal.openForRead(DIR, WalSnapshot.ZERO, options)) {
            assertThat(readOnly.readAll().entries()).hasSize(1);
        }
        disk.cutPower();
        disk.crash(SimulatedDisk.CrashMode.DROP_ALL, 1);
        try (Wal afterPowerLoss = Wal.openForRead(DIR, WalSnapshot.ZERO, options)) {
            assertThat(afterPowerLoss.readAll().entries()).isEmpty();
        }
    }

    /**
     * Issue 37: under {@code NONE} a snapshot marker was only written, not synced; after a
     * compaction the application deletes its older snapshots, and a power loss then brought the
     * log back at an older compaction point whose snapshot was gone. A marker that returned is
     * durable under every policy, with everything before it.
     */
    @Test
    void aSnapshotMarkerThatReturnedSurvivesAPowerLossUnderEveryPolicy() {
        for (SyncPolicy policy : SyncPolicy.values()) {
            SimulatedDisk disk = new SimulatedDisk();
            WalOptions options = WalOptions.builder().syncPolicy(policy).segmentSize(1 << 20).preallocate(false)
                    .syncInterval(java.time.Duration.ofHours(1)).disk(disk).build();
            List<Entry> saved = WalFixtures.entries(1, 1, 30, 100);
            Wal wal = Wal.create(DIR.resolveSibling("wal-" + policy), null, options);
            try {
                for (Entry entry : saved) {
                    wal.save(new HardState(1, 1, entry.index()), List.of(entry));
                }
                wal.saveSnapshot(WalSnapshot.of(25, 1));
                disk.cutPower();
            } finally {
                wal.engine.abandon();
            }
            disk.crash(SimulatedDisk.CrashMode.DROP_ALL, 1);
            assertThat(WalDirectory.validSnapshotEntries(DIR.resolveSibling("wal-" + policy), options))
                    .as("%s: the marker after a power loss", policy).contains(WalSnapshot.of(25, 1));
            try (Wal afterPowerLoss = Wal.openForRead(DIR.resolveSibling("wal-" + policy), WalSnapshot.of(25, 1),
                    options)) {
                assertThat(afterPowerLoss.readAll().entries()).as("%s", policy).isEqualTo(saved.subList(25, 30));
            }
        }
    }
}

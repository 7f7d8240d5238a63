package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.test.FaultyDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SyncPolicy#INTERVAL}: saves return after the write; a background task syncs what was written. */
class IntervalSyncPolicyTest {

    @TempDir
    Path temp;

    private final AtomicInteger syncs = new AtomicInteger();

    private WalOptions.Builder interval(Duration every) {
        return WalOptions.builder().syncPolicy(SyncPolicy.INTERVAL).syncInterval(every).preallocate(false)
                .listener(new WalListener() {
                    @Override
                    public void synced(long nanos) {
                        syncs.incrementAndGet();
                    }
                });
    }

    @Test
    void aSaveIsWrittenButNotSyncedUntilTheTaskRuns() {
        // An interval far longer than the test: only the explicit calls below sync.
        try (Wal wal = Wal.create(temp.resolve("wal"), null, interval(Duration.ofHours(1)).build())) {
            int afterCreate = syncs.get();

            wal.save(new HardState(1, 1, 0), WalFixtures.entries(1, 1, 3, 10));
            assertThat(syncs.get()).isEqualTo(afterCreate);
            // Written: another reader sees the records already (they are in the page cache).
            assertThat(Wal.openForRead(temp.resolve("wal"), WalSnapshot.ZERO).readAll().entries()).hasSize(3);

            wal.engine.syncIfWritten();
            assertThat(syncs.get()).isEqualTo(afterCreate + 1);
            wal.engine.syncIfWritten();
            assertThat(syncs.get()).as("nothing written since the last sync").isEqualTo(afterCreate + 1);
        }
    }

    @Test
    void snapshotsAndExplicitSyncsStillSyncAtOnce() {
        try (Wal wal = Wal.create(temp.resolve("wal"), null, interval(Duration.ofHours(1)).build())) {
            int before = syncs.get();
            wal.saveSnapshot(new WalSnapshot(0, 0, null));
            wal.sync();
            assertThat(syncs.get()).isEqualTo(before + 2);
        }
    }

    @Test
    void theBackgroundThreadSyncsWithoutBeingAsked() throws InterruptedException {
        CountDownLatch synced = new CountDownLatch(1);
        AtomicBoolean saved = new AtomicBoolean();
        WalOptions options = interval(Duration.ofMillis(5)).listener(new WalListener() {
            @Override
            public void synced(long nanos) {
                if (saved.get()) {
                    synced.countDown();
                }
            }
        }).build();
        Path dir = temp.resolve("wal");
        try (Wal wal = Wal.create(dir, null, options)) {
            // Nothing is unsynced before the save, so any sync from here on is the background one's.
            saved.set(true);
            wal.save(new HardState(1, 1, 0), WalFixtures.entries(1, 1, 1, 10));
            assertThat(synced.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("jwal-interval-sync")
                && t.isAlive() && !t.isDaemon());
    }

    /**
     * A save written by its caller just as the writer, having synced, goes to wait with nothing
     * unsynced: the writer must still see the new bytes and keep the interval. Saving right after
     * each background sync is told, after a delay that varies, puts saves in that window.
     */
    @Test
    void aSaveJustAfterABackgroundSyncIsSyncedInItsTurn() throws InterruptedException {
        java.util.concurrent.Semaphore syncedSaves = new java.util.concurrent.Semaphore(0);
        AtomicBoolean saving = new AtomicBoolean();
        WalOptions options = interval(Duration.ofMillis(1)).listener(new WalListener() {
            @Override
            public void synced(long nanos) {
                if (saving.get()) {
                    syncedSaves.release();
                }
            }
        }).build();
        try (Wal wal = Wal.create(temp.resolve("wal"), null, options)) {
            saving.set(true);
            for (int i = 1; i <= 400; i++) {
                // A delay of 0 to 40 µs after the sync is told sweeps the save across the
                // writer's way from the sync to its park.
                long until = System.nanoTime() + (i % 41) * 1_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                wal.save(new HardState(1, 1, 0), WalFixtures.entries(1, i, i, 10));
                assertThat(syncedSaves.tryAcquire(30, TimeUnit.SECONDS)).as("save %d synced", i).isTrue();
            }
        }
    }

    @Test
    void aFailedBackgroundSyncPoisonsTheWalAndTheNextSaveSaysWhy() {
        WalOptions options = interval(Duration.ofHours(1))
                .disk(FaultyDisk.failingFrom(FaultyDisk.Operation.SYNC, 2, "EIO from the test")).build();
        // The first sync is create's; the second, the background one, fails.
        try (Wal wal = Wal.create(temp.resolve("wal"), null, options)) {
            wal.save(new HardState(1, 1, 0), WalFixtures.entries(1, 1, 1, 10));
            wal.engine.syncIfWritten();

            assertThat(wal.poisonCause()).get().satisfies(e -> assertThat(e).hasMessageContaining("EIO from the test"));
            assertThatThrownBy(() -> wal.save(HardState.EMPTY, List.of(Entry.normal(1, 2, new byte[1]))))
                    .isInstanceOf(WalPoisonedException.class).hasMessageContaining("EIO from the test");
        }
    }

    @Test
    void theIntervalMustBePositive() {
        assertThatThrownBy(() -> WalOptions.builder().syncInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncInterval");
    }
}

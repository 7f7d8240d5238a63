package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Any number of threads may call any method at once: saves beside syncs, snapshots, lock
 * releases, purges and closes, callbacks that save and wait, observers during a held fdatasync,
 * and the saves refused before anything is written.
 */
class ConcurrentLifecycleTest {

    @TempDir
    Path temp;

    private WalOptions.Builder options() {
        return WalOptions.builder().segmentSize(4096).preallocate(false).syncPolicy(SyncPolicy.GROUP);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 })
    void everyMethodAtOnceFromManyThreads(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = temp.resolve("wal-" + seed);
        SyncPolicy policy = SyncPolicy.values()[(int) (seed % SyncPolicy.values().length)];
        // every policy on both save paths: callers writing their own saves, and all handed off
        WalOptions walOptions = options().syncPolicy(policy).syncInterval(Duration.ofMillis(1))
                .callerWrites(seed / 4 % 2 == 0).build();
        Map<Long, byte[]> acknowledged = new ConcurrentHashMap<>();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        ReentrantLock order = new ReentrantLock();
        Wal wal = Wal.create(dir, WalFixtures.METADATA, walOptions);
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        boolean closesEarly = random.nextBoolean();
        for (int t = 0; t < threads; t++) {
            SplittableRandom mine = random.split();
            int role = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int step = 0; step < 80; step++) {
                        int op = role < 3 ? 0 : mine.nextInt(6);
                        try {
                            switch (op) {
                                case 0 -> save(wal, order, acknowledged, mine);
                                case 1 -> wal.sync();
                                case 2 -> snapshot(wal, acknowledged);
                                case 3 -> wal.releaseLockTo(mine.nextLong(0, wal.lastIndex() + 2));
                                case 4 -> wal.purge(1 + mine.nextInt(3));
                                default -> {
                                    if (closesEarly && step == 40) {
                                        wal.close();
                                    }
                                    wal.status();
                                }
                            }
                        } catch (WalClosedException closed) {
                            assertThat(wal.isClosed()).isTrue();
                        }
                    }
                    wal.close();
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }, "lifecycle-" + t);
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(unexpected).as("seed %d (%s)", seed, policy).isEmpty();
        assertThat(wal.isClosed()).isTrue();
        wal.close();
        // Purges took the oldest segments: every acknowledged entry from the oldest one left is there.
        dev.jwal.core.inspect.WalInspector inspector = dev.jwal.core.inspect.WalInspector.withDefaults();
        long oldest = inspector.segmentFiles(dir).get(0).firstIndex();
        Map<Long, byte[]> read = new HashMap<>();
        dev.jwal.core.inspect.ScanOutcome outcome = inspector.scan(dir, record -> {
            if (record.kind() == dev.jwal.core.inspect.RecordKind.ENTRY) {
                read.put(record.entry().index(), record.entry().data());
            }
        });
        assertThat(outcome.isClean()).as("seed %d: %s", seed, outcome.problem()).isTrue();
        acknowledged.forEach((index, data) -> {
            if (index >= oldest) {
                assertThat(read.get(index)).as("seed %d: acknowledged entry %d", seed, index).isEqualTo(data);
            }
        });
        try (Wal reopened = Wal.open(dir, WalDirectory.validSnapshotEntries(dir).stream()
                .filter(s -> oldest == 0 || s.index() >= oldest).findFirst().orElse(WalSnapshot.ZERO), walOptions)) {
            if (oldest == 0) {
                assertThat(reopened.readAll().entries()).hasSize(acknowledged.size());
            }
        } catch (NoWalFilesException purgedPastEverySnapshot) {
            // no snapshot marker is left to open at; the scan above checked the records
        }
    }

    /** A snapshot marker at the newest acknowledged entry, as a node records one it took. */
    private static void snapshot(Wal wal, Map<Long, byte[]> acknowledged) {
        long newest = acknowledged.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        wal.saveSnapshot(newest == 0 ? WalSnapshot.ZERO : WalSnapshot.of(newest, 1));
    }

    private static void save(Wal wal, ReentrantLock order, Map<Long, byte[]> acknowledged, SplittableRandom random) {
        byte[] data = new byte[random.nextInt(400)];
        random.nextBytes(data);
        CompletableFuture<Void> saved;
        long index;
        order.lock();
        try {
            index = wal.lastIndex() + 1;
            saved = wal.saveAsync(new HardState(1, 1, index), List.of(Entry.normal(1, index, data)));
        } finally {
            order.unlock();
        }
        try {
            saved.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof WalClosedException closed) {
                throw closed;
            }
            throw e;
        }
        acknowledged.put(index, data);
    }

    @Test
    void closingTwiceOrFromManyThreadsAtOnceIsANoOpForTheLaterCallers() throws Exception {
        Wal wal = Wal.create(temp.resolve("wal"), null, options().build());
        wal.save(new HardState(1, 1, 1), WalFixtures.entries(1, 1, 1, 10));
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            closes.add(CompletableFuture.runAsync(wal::close));
        }
        for (CompletableFuture<Void> close : closes) {
            assertThat(close).succeedsWithin(Duration.ofMinutes(1));
        }
        wal.close();
        assertThat(wal.isClosed()).isTrue();
        assertThatThrownBy(wal::sync).isInstanceOf(WalClosedException.class);
    }

    @Test
    void concurrentReleasesNeverThrow() throws Exception {
        try (Wal wal = Wal.create(temp.resolve("wal"), null, options().build())) {
            wal.save(new HardState(1, 1, 40), WalFixtures.entries(1, 1, 40, 300));
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                long upTo = i * 3L;
                calls.add(CompletableFuture.runAsync(() -> wal.releaseLockTo(upTo)));
                calls.add(CompletableFuture.runAsync(() -> wal.save(HardState.EMPTY,
                        List.of())));
            }
            for (CompletableFuture<Void> call : calls) {
                assertThat(call).succeedsWithin(Duration.ofMinutes(1));
            }
            assertThat(wal.openSegments()).isNotEmpty();
        }
    }

    @Test
    void aCallbackMaySaveAndWaitForItsOwnSave() {
        try (Wal wal = Wal.create(temp.resolve("wal"), null, options().build())) {
            CompletableFuture<Long> chained = wal.saveAsync(new HardState(1, 1, 1), WalFixtures.entries(1, 1, 1, 10))
                    .thenApply(done -> {
                        wal.saveAsync(new HardState(1, 1, 2), WalFixtures.entries(1, 2, 2, 10)).join();
                        wal.save(new HardState(1, 1, 3), WalFixtures.entries(1, 3, 3, 10));
                        CompletableFuture<Void> later = wal.saveAsync(new HardState(1, 1, 4),
                                WalFixtures.entries(1, 4, 4, 10));
                        later.thenRun(() -> { }).join();
                        return wal.lastIndex();
                    });
            assertThat(chained).succeedsWithin(Duration.ofMinutes(1)).isEqualTo(4L);
        }
    }

    @Test
    void observersAnswerWhileAnFdatasyncIsHeld() throws Exception {
        GroupCommitTest.GatedDisk disk = new GroupCommitTest.GatedDisk();
        try (Wal wal = Wal.create(temp.resolve("wal"), null, options().syncPolicy(SyncPolicy.ALWAYS).disk(disk)
                .build())) {
            disk.closeGate();
            CompletableFuture<Void> held = CompletableFuture.runAsync(
                    () -> wal.save(new HardState(1, 1, 1), WalFixtures.entries(1, 1, 1, 10)));
            try {
                assertThat(disk.entered.await(1, TimeUnit.MINUTES)).isTrue();
                // The writer is inside fdatasync now; none of these may wait for it.
                assertThat(wal.lastIndex()).isEqualTo(1);
                assertThat(wal.status().durableIndex()).isZero();
                assertThat(wal.status().segments()).hasSize(1);
                assertThat(wal.poisonCause()).isEmpty();
                assertThat(wal.isClosed()).isFalse();
                assertThat(wal.openSegments()).hasSize(1);
                assertThat(held).isNotDone();
            } finally {
                disk.open();
            }
            assertThat(held).succeedsWithin(Duration.ofMinutes(1));
            assertThat(wal.status().durableIndex()).isEqualTo(1);
            assertThat(wal.status().lastSync()).isPresent();
        }
    }

    @Test
    void entriesWhoseIndexesDoNotRiseByOneAreRefusedBeforeWriting() {
        try (Wal wal = Wal.create(temp.resolve("wal"), null, options().build())) {
            wal.save(new HardState(1, 1, 2), WalFixtures.entries(1, 1, 2, 10));
            assertThatThrownBy(() -> wal.save(HardState.EMPTY, List.of(Entry.normal(1, 3, null),
                    Entry.normal(1, 5, null)))).isInstanceOf(InvalidEntryIndexException.class)
                    .hasMessage("wal: entry 5 refused: indexes in one save must rise by one, and it follows 3;"
                            + " nothing of the save was written")
                    .extracting(e -> ((InvalidEntryIndexException) e).index()).isEqualTo(5L);
            assertThatThrownBy(() -> wal.save(HardState.EMPTY, WalFixtures.entries(1, 4, 4, 10)))
                    .isInstanceOf(InvalidEntryIndexException.class)
                    .hasMessage("wal: entry 4 refused: it leaves a gap after the last index, 2 (the next entry is 3,"
                            + " or an earlier index to overwrite); nothing of the save was written");
            assertThat(wal.saveAsync(HardState.EMPTY, WalFixtures.entries(1, 9, 9, 10))).isCompletedExceptionally();
            assertThat(wal.lastIndex()).isEqualTo(2);
            wal.save(new HardState(2, 1, 2), WalFixtures.entries(2, 2, 3, 10)); // overwriting stays allowed
            assertThat(wal.lastIndex()).isEqualTo(3);
            assertThat(wal.poisonCause()).isEmpty();
        }
    }

    @Test
    void entriesAtOrBelowTheOpenedSnapshotAreRefused() {
        Path dir = temp.resolve("wal");
        try (Wal wal = Wal.create(dir, null, options().build())) {
            wal.save(new HardState(1, 1, 5), WalFixtures.entries(1, 1, 5, 10));
            wal.saveSnapshot(WalSnapshot.of(5, 1));
        }
        try (Wal wal = Wal.open(dir, WalSnapshot.of(5, 1), options().build())) {
            wal.readAll();
            assertThatThrownBy(() -> wal.save(HardState.EMPTY, WalFixtures.entries(1, 5, 5, 10)))
                    .isInstanceOf(InvalidEntryIndexException.class)
                    .hasMessage("wal: entry 5 refused: it is at or below the snapshot the WAL was opened at (5);"
                            + " nothing of the save was written");
            wal.save(new HardState(1, 1, 6), WalFixtures.entries(1, 6, 6, 10));
        }
        try (Wal wal = Wal.openForRead(dir, WalSnapshot.of(5, 1))) {
            assertThat(wal.readAll().entries()).extracting(Entry::index).containsExactly(6L);
        }
    }
}

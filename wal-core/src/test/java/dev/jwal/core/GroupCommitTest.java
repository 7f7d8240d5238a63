package dev.jwal.core;

import static dev.jwal.core.WalFixtures.METADATA;
import static dev.jwal.core.WalFixtures.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.ForwardingDisk;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link SyncPolicy#GROUP}: saves share fdatasyncs, and none returns before its own is done. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GroupCommitTest {

    @TempDir
    Path temp;

    /** The real disk, with every segment fdatasync recorded and, when gated, held until released. */
    static final class GatedDisk extends ForwardingDisk {
        final AtomicInteger syncs = new AtomicInteger();
        final Set<Thread> syncingThreads = ConcurrentHashMap.newKeySet();
        volatile CountDownLatch entered = new CountDownLatch(0);
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile IOException failure;

        GatedDisk() {
            super(RealDisk.INSTANCE);
        }

        /** The next fdatasync signals {@link #entered} and waits until {@link #open()} is called. */
        void closeGate() {
            entered = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        /** Says it has {@code entered}, then waits for the {@code gate}; an interrupt fails the I/O. */
        static void pass(CountDownLatch entered, CountDownLatch gate) throws IOException {
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        @Override
        protected DiskFile wrap(DiskFile file) {
            return new ForwardingDiskFile(file) {
                @Override
                public void sync() throws IOException {
                    if (path().getFileName().toString().endsWith(".wal")) {
                        syncingThreads.add(Thread.currentThread());
                        pass(entered, gate);
                        if (failure != null) {
                            throw failure;
                        }
                        syncs.incrementAndGet();
                    }
                    super.sync();
                }
            };
        }
    }

    /** Records each group commit's batch size. */
    static final class Batches implements WalListener {
        final List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void groupCommitted(int saves, int queued) {
            sizes.add(saves);
        }
    }

    private final GatedDisk disk = new GatedDisk();
    private final Batches batches = new Batches();

    private WalOptions.Builder group() {
        return WalOptions.builder().syncPolicy(SyncPolicy.GROUP).segmentSize(1024 * 1024).preallocate(false)
                .disk(disk).listener(batches);
    }

    /** With the files idle, a lone save is written and synced once, on its caller's own thread. */
    @Test
    void aLoneSaveIsSyncedOnceByItsCallerWhenTheWriterIsIdle() {
        try (Wal wal = Wal.create(temp.resolve("wal"), METADATA, group().build())) {
            disk.syncingThreads.clear();
            int before = disk.syncs.get();
            wal.save(new HardState(1, 1, 1), entries(1, 1, 1, 100));
            assertThat(disk.syncs.get()).isEqualTo(before + 1);
            assertThat(disk.syncingThreads).containsExactly(Thread.currentThread());
            assertThat(batches.sizes).containsExactly(1);
            assertThat(wal.status().durableIndex()).isEqualTo(1);
        }
    }

    /** With {@code callerWrites} off, the same save is handed to the log writer and synced there. */
    @Test
    void aLoneSaveIsSyncedOnceByTheLogWriterWhenCallersDoNotWrite() {
        try (Wal wal = Wal.create(temp.resolve("wal"), METADATA, group().callerWrites(false).build())) {
            disk.syncingThreads.clear();
            int before = disk.syncs.get();
            wal.save(new HardState(1, 1, 1), entries(1, 1, 1, 100));
            assertThat(disk.syncs.get()).isEqualTo(before + 1);
            assertThat(disk.syncingThreads).hasSize(1).noneMatch(thread -> thread == Thread.currentThread())
                    .allMatch(thread -> thread.getName().startsWith("jwal-writer "));
            assertThat(batches.sizes).containsExactly(1);
        }
    }

    /** An asynchronous save never blocks its caller on the disk: it is always handed over. */
    @Test
    void anAsynchronousSaveIsSyncedByTheLogWriter() {
        try (Wal wal = Wal.create(temp.resolve("wal"), METADATA, group().build())) {
            disk.syncingThreads.clear();
            wal.saveAsync(new HardState(1, 1, 1), entries(1, 1, 1, 100)).join();
            assertThat(disk.syncingThreads).hasSize(1)
                    .allMatch(thread -> thread.getName().startsWith("jwal-writer "));
        }
    }

    /**
     * While one fdatasync is held, saves pile up; once it completes, the next single fdatasync
     * covers all of them, and none of their futures completes before it.
     */
    @Test
    void savesQueuedDuringASyncShareTheNextOne() throws Exception {
        try (Wal wal = Wal.create(temp.resolve("wal"), METADATA, group().build())) {
            int before = disk.syncs.get();
            disk.closeGate();
            CompletableFuture<Void> first = CompletableFuture.runAsync(
                    () -> wal.save(new HardState(1, 1, 1), entries(1, 1, 1, 100)));
            assertThat(disk.entered.await(1, TimeUnit.MINUTES)).isTrue();

            List<CompletableFuture<Void>> queued = new ArrayList<>();
            for (long index = 2; index <= 11; index++) {
                queued.add(wal.saveAsync(new HardState(1, 1, index), entries(1, index, index, 100)));
            }
            assertThat(queued).noneMatch(CompletableFuture::isDone);
            assertThat(first).isNotDone();

            disk.open();
            first.get(1, TimeUnit.MINUTES);
            CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            assertThat(disk.syncs.get()).isEqualTo(before + 2);
            assertThat(batches.sizes).containsExactly(1, 10);
        }
        try (Wal wal = Wal.open(temp.resolve("wal"), WalSnapshot.ZERO)) {
            assertThat(wal.readAll().entries()).extracting(Entry::index)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        }
    }

    @Test
    void futuresCompleteInSaveOrderAndCallbacksMaySaveAgain() throws Exception {
        List<Long> completed = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Wal wal = Wal.create(temp.resolve("wal"), METADATA, group().build())) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (long index = 1; index <= 50; index++) {
                long i = index;
                all.add(wal.saveAsync(new HardState(1, 1, i), entries(1, i, i, 10)).thenRun(() -> completed.add(i)));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            CompletableFuture<Void> chained = wal.saveAsync(new HardState(1, 1, 51), entries(1, 51, 51, 10))
                    .thenCompose(done -> wal.saveAsync(new HardState(1, 1, 52), entries(1, 52, 52, 10)));
            chained.get(1, TimeUnit.MINUTES);
            assertThat(wal.lastIndex()).isEqualTo(52);
        }
        assertThat(completed).isSorted().hasSize(50);
    }

    /**
     * A timed get that runs out, or is interrupted, ends only its own wait: the save stays
     * queued, becomes durable, and its future completes; the WAL carries on.
     */
    @Test
    void aTimedGetEndsOnlyItsOwnWait() throws Exception {
        try (Wal wal = Wal.create(temp.resolve("wal"), METADATA, group().build())) {
            CompletableFuture<Void> held = secondSaveWithItsSyncHeld(wal);
            CompletableFuture<Void> chained;
            try {
                assertThat(disk.entered.await(1, TimeUnit.MINUTES)).isTrue();
                assertThatThrownBy(() -> held.get(20, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class)
                        .hasMessageContaining("may or may not be durable");
                Thread.currentThread().interrupt();
                assertThatThrownBy(() -> held.get(1, TimeUnit.MINUTES)).isInstanceOf(InterruptedException.class)
                        .hasMessageContaining("may or may not be durable");
                assertThat(Thread.interrupted()).as("the flag is cleared, as Future.get says").isFalse();
                chained = held.thenRun(() -> { });
                assertThatThrownBy(() -> chained.get(20, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
                assertThat(held).isNotDone();
            } finally {
                // a failed assertion must not leave the sync held, or the close below waits for ever
                disk.open();
            }
            held.get(1, TimeUnit.MINUTES);
            chained.get(1, TimeUnit.MINUTES);
            wal.save(new HardState(1, 1, 3), entries(1, 3, 3, 10));
            assertThat(wal.poisonCause()).isEmpty();
            assertThat(wal.entries(1, 4)).extracting(Entry::index).containsExactly(1L, 2L, 3L);
        }
    }

    /**
     * A timed get waits on its own thread and completes the future there, as join does, instead
     * of waiting for the completer thread and then being woken by it: the future's callback runs
     * on the thread that called get.
     */
    @Test
    void aTimedGetCompletesTheFutureOnItsOwnThread() throws Exception {
        try (Wal wal = Wal.create(temp.resolve("wal"), METADATA, group().build())) {
            CompletableFuture<Void> held = secondSaveWithItsSyncHeld(wal);
            List<Thread> ranOn = new java.util.concurrent.CopyOnWriteArrayList<>();
            held.whenComplete((ignored, failure) -> ranOn.add(Thread.currentThread()));
            assertThat(disk.entered.await(1, TimeUnit.MINUTES)).isTrue();
            Thread getter = Thread.currentThread();
            Thread opener = new Thread(() -> {
                // the gate opens once the getter has stopped spinning and parked in its get
                while (getter.getState() != Thread.State.TIMED_WAITING) {
                    Thread.onSpinWait();
                }
                disk.open();
            });
            opener.setDaemon(true);
            opener.start();
            try {
                held.get(1, TimeUnit.MINUTES);
            } finally {
                disk.open();
            }
            opener.join();
            assertThat(ranOn).containsExactly(getter);
        }
    }

    /** Saves index 1, then index 2 with its fdatasync held at the gate: the second save's future. */
    private CompletableFuture<Void> secondSaveWithItsSyncHeld(Wal wal) {
        wal.save(new HardState(1, 1, 1), entries(1, 1, 1, 10));
        disk.closeGate();
        return wal.saveAsync(new HardState(1, 1, 2), entries(1, 2, 2, 10));
    }

    @Test
    void aFailedGroupSyncPoisonsTheWalAndFailsEveryWaiter() throws Exception {
        Wal wal = Wal.create(temp.resolve("wal"), METADATA, group().build());
        wal.save(new HardState(1, 1, 1), entries(1, 1, 1, 10));
        disk.closeGate();
        CompletableFuture<Void> leader = CompletableFuture.runAsync(
                () -> wal.save(new HardState(1, 1, 2), entries(1, 2, 2, 10)));
        assertThat(disk.entered.await(1, TimeUnit.MINUTES)).isTrue();
        CompletableFuture<Void> queued = wal.saveAsync(new HardState(1, 1, 3), entries(1, 3, 3, 10));
        disk.failure = new IOException("EIO from the test");
        disk.open();

        assertThatThrownBy(() -> leader.get(1, TimeUnit.MINUTES)).hasRootCauseMessage("EIO from the test");
        assertThatThrownBy(() -> queued.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(WalPoisonedException.class);
        assertThat(wal.poisonCause()).isPresent();
        assertThatThrownBy(() -> wal.save(new HardState(1, 1, 4), entries(1, 4, 4, 10)))
                .isInstanceOf(WalPoisonedException.class).hasMessageContaining("EIO from the test");
        assertThat(wal.saveAsync(new HardState(1, 1, 4), entries(1, 4, 4, 10)))
                .failsWithin(Duration.ZERO).withThrowableThat().withCauseInstanceOf(WalPoisonedException.class);
        disk.failure = null;
        wal.close();
        try (Wal reopened = Wal.open(temp.resolve("wal"), WalSnapshot.ZERO)) {
            assertThat(reopened.readAll().entries()).extracting(Entry::index).startsWith(1L);
        }
    }

    @Test
    void closeMakesPendingSavesDurableAndCompletesTheirFutures() throws Exception {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        try (Wal wal = Wal.create(temp.resolve("wal"), METADATA, group().groupWait(Duration.ofHours(1)).build())) {
            // An hour's group wait: nothing but close can end the gathering sync.
            for (long index = 1; index <= 5; index++) {
                pending.add(wal.saveAsync(new HardState(1, 1, index), entries(1, index, index, 10)));
            }
        }
        for (CompletableFuture<Void> future : pending) {
            assertThat(future).succeedsWithin(Duration.ofMinutes(1));
        }
        try (Wal wal = Wal.open(temp.resolve("wal"), WalSnapshot.ZERO)) {
            assertThat(wal.readAll().entries()).hasSize(5);
        }
    }

    @Test
    void aGroupWaitEndsOnceTheBatchHoldsItsBytes() {
        WalOptions options = group().groupWait(Duration.ofHours(1)).groupMaxBytes(100).build();
        try (Wal wal = Wal.create(temp.resolve("wal"), METADATA, options)) {
            wal.save(new HardState(1, 1, 1), entries(1, 1, 1, 200));
            assertThat(batches.sizes).containsExactly(1);
        }
    }

    @Test
    void saveAsyncUnderAlwaysCompletesOnceDurableAndRefusesATooLargeSaveAtOnce() {
        WalOptions always = WalOptions.builder().preallocate(false).maxRecordSize(1024).build();
        try (Wal wal = Wal.create(temp.resolve("wal"), METADATA, always)) {
            assertThat(wal.saveAsync(new HardState(1, 1, 1), entries(1, 1, 1, 10))).succeedsWithin(Duration.ofMinutes(1));
            assertThat(wal.saveAsync(new HardState(1, 1, 2), entries(1, 2, 2, 4096)))
                    .failsWithin(Duration.ZERO).withThrowableThat().withCauseInstanceOf(RecordTooLargeException.class);
            assertThat(wal.poisonCause()).as("refused before writing").isEmpty();
        }
    }

    /** Batching changes when bytes reach the file, never which bytes: cuts fall where ALWAYS puts them. */
    @Test
    void groupWritesTheSameFilesAsAlways() throws IOException {
        Path always = temp.resolve("always");
        Path grouped = temp.resolve("group");
        WalOptions.Builder small = WalOptions.builder().segmentSize(16 * 1024).preallocate(false);
        try (Wal a = Wal.create(always, METADATA, small.build());
                Wal g = Wal.create(grouped, METADATA, small.syncPolicy(SyncPolicy.GROUP).build())) {
            for (long index = 1; index <= 300; index++) {
                for (Wal wal : List.of(a, g)) {
                    wal.save(new HardState(1, 1, index - 1), entries(1, index, index, (int) (index * 7 % 300)));
                    if (index % 40 == 0) {
                        wal.save(new HardState(1, 1, index), List.of()); // a commit-only save: no sync
                        wal.saveSnapshot(WalSnapshot.of(index, 1));
                    }
                }
            }
        }
        assertThat(listing(grouped)).isEqualTo(listing(always)).hasSizeGreaterThan(3);
        for (String name : listing(always)) {
            assertThat(Files.readAllBytes(grouped.resolve(name))).as(name).isEqualTo(Files.readAllBytes(always.resolve(name)));
        }
    }

    /**
     * Every file under the directory, index files included, by its path within it. The checkpoint
     * files are left out: each is written in a generation that depends on when the index thread ran.
     */
    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("checkpoint-"))
                    .map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}

package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Wal#entries} and {@link Wal#term} against a raft-log model, under random saves with
 * overwrites, snapshots, cuts, lock releases, purges and reopens; and readers beside a writer.
 */
class ReadByIndexTest {

    @TempDir
    Path temp;

    /** A handler that needs no entry at all. */
    static final WalReplayHandler SKIP_ALL = new WalReplayHandler() {
        @Override
        public void entry(Entry entry) {
        }

        @Override
        public void truncated(long index) {
        }

        @Override
        public long entriesFrom() {
            return -1;
        }
    };

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 })
    void readsAgreeWithTheModel(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = temp.resolve("wal");
        WalOptions options = WalOptions.builder().segmentSize(new long[] {2048, 8192, 65536}[random.nextInt(3)])
                .syncPolicy(SyncPolicy.values()[random.nextInt(SyncPolicy.values().length)])
                .syncInterval(Duration.ofHours(1)).preallocate(random.nextBoolean()).build();
        RaftLogModel model = new RaftLogModel();
        WalSnapshot opened = WalSnapshot.ZERO;
        Wal wal = Wal.create(dir, WalFixtures.METADATA, options);
        try {
            for (int step = 0; step < 120; step++) {
                int op = random.nextInt(100);
                if (op < 70) {
                    RaftLogModel.Save save = model.nextSave(random, true);
                    wal.save(save.state(), save.entries());
                    model.apply(save.state(), save.entries());
                } else if (op < 80 && model.state.commit() > opened.index()) {
                    long index = random.nextLong(opened.index() + 1, model.state.commit() + 1);
                    Entry at = model.log.stream().filter(e -> e.index() == index).findFirst().orElse(null);
                    if (at != null) {
                        wal.saveSnapshot(WalSnapshot.of(index, at.term()));
                    }
                } else if (op < 86) {
                    wal.releaseLockTo(random.nextLong(0, opened.index() + 2));
                    wal.purge(1 + random.nextInt(2));
                } else if (op < 92) {
                    wal.close();
                    long oldest = dev.jwal.core.inspect.WalInspector.withDefaults().segmentFiles(dir).get(0)
                            .firstIndex();
                    long at = opened.index();
                    // a snapshot no older than the one open, whose segment is still there
                    List<WalSnapshot> valid = WalDirectory.validSnapshotEntries(dir).stream()
                            .filter(s -> s.index() >= at && (oldest == 0 || s.index() >= oldest)).toList();
                    opened = valid.isEmpty() ? opened : valid.get(random.nextInt(valid.size()));
                    wal = Wal.open(dir, opened, options);
                    if (random.nextBoolean()) {
                        wal.readAll();
                    } else {
                        // needing no entry: the sealed segments the checkpoint vouches for are not read
                        wal.replay(SKIP_ALL);
                    }
                }
                if (random.nextInt(4) == 0) {
                    // sealed segments read from their samples, not from positions still in memory
                    wal.engine.forgetCachedSamples();
                }
                check(wal, model, opened, random, "seed " + seed + " step " + step);
            }
        } finally {
            wal.close();
        }
    }

    private static void check(Wal wal, RaftLogModel model, WalSnapshot opened, SplittableRandom random,
            String context) {
        List<Entry> live = model.after(opened.index());
        long first = live.isEmpty() ? opened.index() + 1 : live.get(0).index();
        long last = model.lastIndex();
        if (!live.isEmpty()) {
            assertThat(wal.entries(first, last + 1)).as(context + ": the whole live log").isEqualTo(live);
            long from = random.nextLong(first, last + 1);
            long to = random.nextLong(from, last + 2);
            assertThat(wal.entries(from, to)).as("%s: [%d, %d)", context, from, to)
                    .isEqualTo(live.subList((int) (from - first), (int) (to - first)));
            Entry one = live.get(random.nextInt(live.size()));
            assertThat(wal.entries(one.index(), one.index() + 1)).as(context).containsExactly(one);
            assertThat(wal.term(one.index())).as("%s: term of %d", context, one.index()).isEqualTo(one.term());
        }
        assertThat(wal.term(opened.index())).as("%s: the opened snapshot's term", context).isEqualTo(opened.term());
        assertThatThrownBy(() -> wal.entries(last + 1, last + 2)).as(context)
                .isInstanceOf(IndexOutOfRangeException.class).hasMessageContaining("after the last index");
        if (opened.index() > 0) {
            assertThatThrownBy(() -> wal.entries(opened.index(), opened.index() + 1)).as(context)
                    .isInstanceOf(IndexOutOfRangeException.class)
                    .hasMessageContaining("at or below the snapshot the WAL was opened at");
        }
        assertThat(wal.entries(5, 5)).isEmpty();
    }

    @Test
    void readersRunBesideTheWriterAndSeeOnlyWhatWasSaved() throws Exception {
        WalOptions options = WalOptions.builder().segmentSize(16 * 1024).preallocate(false)
                .syncPolicy(SyncPolicy.GROUP).build();
        AtomicLong saved = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Wal wal = Wal.create(temp.resolve("wal"), null, options)) {
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                long readerSeed = r;
                readers.add(CompletableFuture.runAsync(() -> {
                    SplittableRandom random = new SplittableRandom(readerSeed);
                    try {
                        while (!done.get() || random.nextInt(4) != 0) {
                            long last = saved.get();
                            if (last == 0) {
                                Thread.onSpinWait();
                                continue;
                            }
                            long from = random.nextLong(1, last + 1);
                            long to = Math.min(last + 1, from + random.nextInt(1, 300));
                            List<Entry> read = wal.entries(from, to);
                            assertThat(read).hasSize((int) (to - from));
                            for (Entry entry : read) {
                                assertThat(entry.data()).isEqualTo(WalFixtures.entries(1, entry.index(),
                                        entry.index(), size(entry.index())).get(0).data());
                            }
                            if (random.nextInt(5) == 0) {
                                Thread.currentThread().interrupt(); // an interrupted reader harms nothing
                            }
                            Thread.interrupted();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (long index = 1; index <= 3000; index += 10) {
                List<Entry> batch = new ArrayList<>();
                for (long i = index; i < index + 10; i++) {
                    batch.addAll(WalFixtures.entries(1, i, i, size(i)));
                }
                wal.save(new HardState(1, 1, index + 9), batch);
                saved.set(index + 9);
            }
            done.set(true);
            for (CompletableFuture<Void> reader : readers) {
                reader.join();
            }
            assertThat(failures).isEmpty();
            assertThat(wal.poisonCause()).isEmpty();
            assertThat(wal.status().segments().size()).as("cuts happened under the readers").isGreaterThan(3);
        }
    }

    @Test
    void entriesAcceptedButNotYetWrittenAreWrittenBeforeTheyAreRead() {
        WalOptions options = WalOptions.builder().preallocate(false).syncPolicy(SyncPolicy.GROUP)
                .groupWait(Duration.ofHours(1)).build();
        try (Wal wal = Wal.create(temp.resolve("wal"), null, options)) {
            // An hour's group wait: the save sits in the writer's batch until the read asks for it.
            CompletableFuture<Void> saved = wal.saveAsync(HardState.EMPTY, WalFixtures.entries(1, 1, 3, 10));
            assertThat(wal.entries(1, 4)).isEqualTo(WalFixtures.entries(1, 1, 3, 10));
            assertThat(wal.term(3)).isEqualTo(1);
            assertThat(saved).succeedsWithin(Duration.ofMinutes(1));
        }
    }

    private static int size(long index) {
        return (int) (index * 37 % 700);
    }
}

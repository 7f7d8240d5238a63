package dev.jwal.core;

import static dev.jwal.core.WalFixtures.METADATA;
import static dev.jwal.core.WalFixtures.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Wal#replay}: readAll's semantics, one entry at a time, in bounded memory. */
class ReplayTest {

    @TempDir
    Path temp;

    /** Applies a replay to a list, as an application applying entries as they come would. */
    static final class Applied implements WalReplayHandler {
        final List<Entry> log = new ArrayList<>();
        final List<Long> truncations = new ArrayList<>();
        private final long snapshotIndex;

        Applied(long snapshotIndex) {
            this.snapshotIndex = snapshotIndex;
        }

        @Override
        public void entry(Entry entry) {
            assertThat(entry.index()).isEqualTo(snapshotIndex + log.size() + 1);
            log.add(entry);
        }

        @Override
        public void truncated(long index) {
            truncations.add(index);
            log.subList((int) (index - snapshotIndex - 1), log.size()).clear();
        }
    }

    @Test
    void anOverwrittenSuffixIsReportedBeforeItsReplacement() {
        Path dir = temp.resolve("wal");
        try (Wal wal = Wal.create(dir, METADATA, WalFixtures.small().build())) {
            wal.save(new HardState(1, 1, 3), entries(1, 1, 10, 50));
            wal.save(new HardState(2, 2, 3), entries(2, 6, 8, 50));
            wal.save(new HardState(2, 2, 8), entries(2, 9, 9, 50));
        }
        Applied applied = new Applied(0);
        WalReplay replay;
        try (Wal wal = Wal.open(dir, WalSnapshot.ZERO)) {
            replay = wal.replay(applied);
            wal.save(new HardState(2, 2, 9), entries(2, 10, 10, 50));
        }
        assertThat(applied.truncations).containsExactly(6L);
        assertThat(applied.log).extracting(Entry::index).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(applied.log).extracting(Entry::term).containsExactly(1L, 1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L);
        assertThat(replay.hardState()).isEqualTo(new HardState(2, 2, 8));
        assertThat(replay.metadata()).isEqualTo(METADATA);
        assertThat(replay.lastIndex()).isEqualTo(9);
        assertThat(replay.entries()).isEqualTo(14);
        try (Wal wal = Wal.openForRead(dir, WalSnapshot.ZERO)) {
            assertThat(wal.readAll().entries()).extracting(Entry::index).endsWith(9L, 10L);
        }
    }

    /** Over every etcd fixture and at each of its valid snapshots: the same log, state and errors as readAll. */
    @Test
    void replayAgreesWithReadAllOnEveryEtcdFixture() {
        for (EtcdFixture fixture : EtcdFixture.all()) {
            List<WalSnapshot> starts = new ArrayList<>(List.of(WalSnapshot.ZERO));
            try {
                starts.addAll(WalDirectory.validSnapshotEntries(fixture.wal()));
            } catch (WalException corrupt) {
                // the fixture is corrupt: replay from the start only
            }
            for (WalSnapshot start : starts) {
                Object expected;
                try (Wal wal = Wal.openForRead(fixture.wal(), start)) {
                    WalContents contents = wal.readAll();
                    expected = List.of(contents.entries(), contents.hardState(), contents.tornTail().isPresent());
                } catch (WalException e) {
                    expected = e.getClass();
                }
                Applied applied = new Applied(start.index());
                Object actual;
                try (Wal wal = Wal.openForRead(fixture.wal(), start)) {
                    WalReplay replay = wal.replay(applied);
                    actual = List.of(applied.log, replay.hardState(), replay.tornTail().isPresent());
                } catch (WalException e) {
                    actual = e.getClass();
                }
                assertThat(actual).as("%s at %s", fixture.name(), start).isEqualTo(expected);
            }
        }
    }

    @Test
    void aWalIsReadOnceWhicheverWay() {
        Path dir = temp.resolve("wal");
        Wal.create(dir, METADATA, WalFixtures.small().build()).close();
        try (Wal wal = Wal.open(dir, WalSnapshot.ZERO)) {
            wal.replay(new Applied(0));
            assertThatThrownBy(wal::readAll).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> wal.replay(new Applied(0))).isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * A WAL several times larger than the heap of a child JVM replays in it: nothing but the
     * entry in hand is kept. (readAll, which keeps every entry, could not.)
     */
    @Test
    void aWalLargerThanTheHeapReplaysInIt() throws Exception {
        Path dir = temp.resolve("big");
        long total = 0;
        byte[] data = new byte[64 * 1024];
        WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.NONE).preallocate(false).build();
        try (Wal wal = Wal.create(dir, METADATA, options)) {
            for (long index = 1; total < 192L * 1024 * 1024; index++) {
                data[0] = (byte) index;
                wal.save(new HardState(1, 1, index), List.of(Entry.normal(1, index, data)));
                total += data.length;
            }
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-cp", System.getProperty("java.class.path"), ReplayCounter.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String output;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            output = String.join("\n", out.lines().toList());
        }
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).endsWith("replayed " + total / data.length + " entries, " + total + " bytes");
    }

    /** The child JVM of {@link #aWalLargerThanTheHeapReplaysInIt}: replays a WAL and counts. */
    public static final class ReplayCounter {
        public static void main(String[] args) {
            long[] counts = new long[2];
            try (Wal wal = Wal.openForRead(Path.of(args[0]), WalSnapshot.ZERO)) {
                wal.replay(new WalReplayHandler() {
                    @Override
                    public void entry(Entry entry) {
                        counts[0]++;
                        counts[1] += entry.data().length;
                    }

                    @Override
                    public void truncated(long index) {
                        throw new AssertionError("no overwrites were written");
                    }
                });
            }
            System.out.println("replayed " + counts[0] + " entries, " + counts[1] + " bytes");
        }
    }
}

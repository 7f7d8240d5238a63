package dev.jwal.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalReplayHandler;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.RealDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checkpoint a writer builds from its cuts, without reading what it sealed, against the one a
 * reading of every sealed segment from the oldest builds: the same segments, states, markers,
 * runs and terms, under saves that overwrite raft's suffix, snapshots and reopens.
 */
class CheckpointWrittenTest {

    @TempDir
    Path temp;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theWritersCheckpointIsWhatReadingTheSegmentsGives(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = temp.resolve("wal");
        WalOptions options = WalOptions.builder().segmentSize(random.nextBoolean() ? 2048 : 8192)
                .syncPolicy(SyncPolicy.NONE).preallocate(false).scrubReadRate(0).build();
        Wal wal = Wal.create(dir, "node".getBytes(), options);
        long last = 0;
        long term = 1;
        long commit = 0;
        for (int step = 0; step < 400; step++) {
            int op = random.nextInt(100);
            if (op < 80) {
                long first = last + 1;
                if (last > commit + 1 && random.nextInt(6) == 0) {
                    first = random.nextLong(commit + 1, last + 1);
                    term++;
                }
                List<Entry> entries = new ArrayList<>();
                int n = 1 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    entries.add(Entry.normal(term, first + i, new byte[random.nextInt(200)]));
                }
                last = first + n - 1;
                commit = Math.max(commit, Math.min(last, commit + random.nextInt(4)));
                wal.save(new HardState(term, 1, commit), entries);
            } else if (op < 90 && commit > 0) {
                wal.saveSnapshot(WalSnapshot.of(commit, wal.term(commit)));
            } else if (op < 93) {
                wal.close();
                // at a snapshot, some entries of the tail may be below it: the index does not hold
                // them, and the writer must leave that tail to be read
                List<WalSnapshot> valid = dev.jwal.core.WalDirectory.validSnapshotEntries(dir, options);
                wal = Wal.open(dir, valid.get(random.nextInt(valid.size())), options);
                wal.replay(new WalReplayHandler() {
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
                });
            }
        }
        wal.close();

        Checkpoint kept = CheckpointFile.load(RealDisk.INSTANCE, dir);
        Checkpoint read = byReading(dir, options);
        assertThat(kept).as("seed %d", seed).isNotNull();
        assertThat(kept.segments()).as("seed %d", seed).isEqualTo(read.segments()).hasSizeGreaterThan(3);
        assertThat(kept.metadata()).isEqualTo(read.metadata());
        assertThat(kept.termStarts()).as("seed %d: term starts", seed).isEqualTo(read.termStarts());
        assertThat(kept.terms()).as("seed %d: terms", seed).isEqualTo(read.terms());
        assertThat(kept.runs()).as("seed %d: runs", seed).hasSameSizeAs(read.runs());
        for (int i = 0; i < kept.runs().size(); i++) {
            Checkpoint.Run a = kept.runs().get(i);
            Checkpoint.Run b = read.runs().get(i);
            assertThat(List.of(a.sequence(), a.firstIndex(), (long) a.count(), a.firstOffset(), (long) a.firstSeed()))
                    .as("seed %d, run %d", seed, i)
                    .isEqualTo(List.of(b.sequence(), b.firstIndex(), (long) b.count(), b.firstOffset(), (long) b.firstSeed()));
            // A run cut short in its own segment ends where its last live entry ends, as the writer
            // knew it; a reading knows only where the run ended before the cut: both bound it.
            assertThat(a.endOffset()).as("seed %d, run %d", seed, i).isLessThanOrEqualTo(b.endOffset())
                    .isGreaterThan(a.firstOffset());
        }
    }

    private static Checkpoint byReading(Path dir, WalOptions options) throws Exception {
        List<SegmentName> names = SegmentDirectory.list(RealDisk.INSTANCE, dir);
        Checkpoint checkpoint = Checkpoint.EMPTY;
        for (SegmentName name : names.subList(0, names.size() - 1)) {
            Path path = dir.resolve(name.fileName());
            CheckpointBuilder builder = new CheckpointBuilder(checkpoint, options.readLimit());
            try (DiskFile file = RealDisk.INSTANCE.openForRead(path)) {
                builder.add(name, path, file);
            }
            checkpoint = builder.build();
        }
        return checkpoint;
    }
}

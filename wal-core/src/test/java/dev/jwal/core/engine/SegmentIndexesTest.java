package dev.jwal.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.io.RealDisk;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samples of sealed segments held in memory stay within their bound however many segments there are. */
class SegmentIndexesTest {

    @TempDir
    Path temp;

    @Test
    void theCacheKeepsWithinItsBoundAndTheNewestSegments() {
        try (SegmentIndexes indexes = new SegmentIndexes(RealDisk.INSTANCE, RealDisk.INSTANCE, temp, 1 << 20)) {
            for (int segment = 0; segment < 100; segment++) {
                SegmentSamples.Builder samples = new SegmentSamples.Builder();
                for (int i = 0; i < 16_000; i++) {
                    samples.add(segment * 16_000L + i, i * (long) SegmentSamples.STRIDE_BYTES, i);
                }
                // segments that do not exist: no index file is written, the samples are kept all the same
                indexes.sealed(temp.resolve(segment + ".wal"), samples.build(), true);
                assertThat(indexes.cachedBytes()).as("after segment %d", segment)
                        .isLessThanOrEqualTo(SegmentIndexes.CACHE_BYTES);
            }
            assertThat(indexes.cachedBytes()).isGreaterThan(SegmentIndexes.CACHE_BYTES / 2);
        }
    }

    @Test
    void sealedRunsKeepTheirPositionsWithinTheBudgetTheNewestFirst() {
        try (SegmentIndexes indexes = new SegmentIndexes(RealDisk.INSTANCE, RealDisk.INSTANCE, temp, 1 << 20)) {
            EntryIndex index = new EntryIndex(0, 0, indexes);
            int perSegment = 100_000;
            long next = 1;
            for (long sequence = 0; sequence < 40; sequence++) {
                java.util.List<dev.jwal.core.Entry> entries = new java.util.ArrayList<>();
                long[] offsets = new long[perSegment];
                int[] lengths = new int[perSegment];
                int[] seeds = new int[perSegment];
                for (int i = 0; i < perSegment; i++) {
                    entries.add(dev.jwal.core.Entry.normal(1, next + i, new byte[0]));
                    offsets[i] = 64 + i * 40L;
                    lengths[i] = 40;
                }
                index.addAll(entries, sequence, temp.resolve(sequence + ".wal"), offsets, lengths, seeds);
                next += perSegment;
                assertThat(index.sealedPositionBytes()).as("after segment %d", sequence)
                        .isLessThanOrEqualTo(EntryIndex.SEALED_POSITIONS_BYTES);
            }
            // the newest sealed segment still reads from positions, the oldest from samples
            assertThat(index.pieces(next - perSegment - 5, next - perSegment - 4).get(0).sealed()).isFalse();
            assertThat(index.pieces(1, 2).get(0).sealed()).isTrue();
            index.close();
        }
    }

    @Test
    void samplesRoundTripThroughTheirFileAndRefuseAnotherSize() {
        SegmentSamples.Builder builder = new SegmentSamples.Builder();
        for (int i = 0; i < 1000; i++) {
            builder.offer(10 + i, 64 + i * 130L, i * 31);
        }
        SegmentSamples samples = builder.build();
        byte[] bytes = samples.serialise(4096).array();

        SegmentSamples back = SegmentSamples.deserialise(bytes, 4096);
        assertThat(back.count()).isEqualTo(samples.count()).isBetween(2, 1000 * 130 / SegmentSamples.STRIDE_BYTES + 1);
        for (int i = 0; i < samples.count(); i++) {
            assertThat(back.index(i)).isEqualTo(samples.index(i));
            assertThat(back.offset(i)).isEqualTo(samples.offset(i));
            assertThat(back.seed(i)).isEqualTo(samples.seed(i));
        }
        assertThat(SegmentSamples.deserialise(bytes, 4104)).isNull();
        bytes[30] ^= 1;
        assertThat(SegmentSamples.deserialise(bytes, 4096)).isNull();
    }
}

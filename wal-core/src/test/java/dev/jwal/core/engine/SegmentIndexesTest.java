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
                indexes.sealed(temp.resolve(segment + ".wal"), samples.build());
                assertThat(indexes.cachedBytes()).as("after segment %d", segment)
                        .isLessThanOrEqualTo(SegmentIndexes.CACHE_BYTES);
            }
            assertThat(indexes.cachedBytes()).isGreaterThan(SegmentIndexes.CACHE_BYTES / 2);
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

package dev.jwal.core.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A sparse index of one sealed segment: for an entry frame every {@value #STRIDE_BYTES} bytes or
 * so, its index, its offset and the checksum its record continues from. A read by index starts at
 * the nearest sample at or before the entry and decodes forward, checking every record's checksum
 * on the way, so a read is one positional read of a few KiB, and a segment of 64 MB costs about
 * 16,000 samples instead of a position for each of its entries.
 *
 * <p>Samples are in file order. A segment whose log was overwritten (raft's suffix replacement)
 * holds frames of more than one run of indexes; a run is looked up within its own byte range,
 * where indexes rise, so samples of a superseded run are never used for a live one.
 *
 * <p>Immutable; shared by readers. Serialised with its own CRC-32C for the index file, so a file
 * that is torn or damaged is detected and rebuilt.
 */
final class SegmentSamples {

    /** About how many bytes of frames lie between two samples. */
    static final int STRIDE_BYTES = 4 << 10;

    private static final long MAGIC = 0x4a57414c49445831L; // "JWALIDX1"
    private static final int HEADER_BYTES = 8 + 8 + 4;
    private static final int SAMPLE_BYTES = 8 + 8 + 4;

    static final SegmentSamples NONE = new SegmentSamples(new long[0], new long[0], new int[0], 0);

    private final long[] indexes;
    private final long[] offsets;
    private final int[] seeds;
    private final int count;

    private SegmentSamples(long[] indexes, long[] offsets, int[] seeds, int count) {
        this.indexes = indexes;
        this.offsets = offsets;
        this.seeds = seeds;
        this.count = count;
    }

    int count() {
        return count;
    }

    long index(int sample) {
        return indexes[sample];
    }

    long offset(int sample) {
        return offsets[sample];
    }

    int seed(int sample) {
        return seeds[sample];
    }

    /**
     * The sample to start a read of {@code index} from, among those of the run whose frames lie
     * in {@code [runStart, runEnd)}: the last one at or before the entry; -1 when none is (the
     * read then starts at the run's first entry).
     */
    int startFor(long index, long runStart, long runEnd) {
        int lo = firstAtOrAfter(runStart);
        int hi = firstAtOrAfter(runEnd) - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(indexes[mid], index) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The offset of the first sample after {@code offset}, or {@code end} when there is none before it. */
    long nextOffsetAfter(long offset, long end) {
        int next = firstAtOrAfter(offset + 1);
        return next < count && offsets[next] < end ? offsets[next] : end;
    }

    private int firstAtOrAfter(long offset) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (offsets[mid] < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Bytes of heap the samples hold, for the cache's bound. */
    long heapBytes() {
        return 64L + (long) indexes.length * SAMPLE_BYTES;
    }

    // ---------------------------------------------------------------------------------------------
    // The index file

    /**
     * The file's bytes: a header naming the segment's size, the samples, and a CRC-32C of all
     * that. The size ties the file to the segment it was made from.
     */
    ByteBuffer serialise(long segmentSize) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + count * SAMPLE_BYTES + 4);
        out.putLong(MAGIC).putLong(segmentSize).putInt(count);
        for (int i = 0; i < count; i++) {
            out.putLong(indexes[i]).putLong(offsets[i]).putInt(seeds[i]);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.flip();
    }

    /**
     * The samples in an index file's bytes, or null when they are not a whole, intact index of a
     * segment of {@code segmentSize} bytes: torn, damaged, of another version, or stale.
     */
    static SegmentSamples deserialise(byte[] bytes, long segmentSize) {
        if (bytes.length < HEADER_BYTES + 4) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getLong() != MAGIC || in.getLong() != segmentSize) {
            return null;
        }
        int count = in.getInt();
        if (count < 0 || (long) HEADER_BYTES + (long) count * SAMPLE_BYTES + 4 != bytes.length) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            return null;
        }
        Builder builder = new Builder();
        for (int i = 0; i < count; i++) {
            long index = in.getLong();
            long offset = in.getLong();
            int seed = in.getInt();
            if (i > 0 && offset <= builder.offsets[i - 1]) {
                return null;
            }
            builder.add(index, offset, seed);
        }
        return builder.build();
    }

    // ---------------------------------------------------------------------------------------------

    /** Collects samples from entry frames met in file order, one every {@link #STRIDE_BYTES}. */
    static final class Builder {
        private long[] indexes = new long[64];
        private long[] offsets = new long[64];
        private int[] seeds = new int[64];
        private int count;
        private long nextOffset = Long.MIN_VALUE;

        /** An entry frame at {@code offset}: kept when it is a stride past the last one kept. */
        void offer(long index, long offset, int seed) {
            if (offset >= nextOffset) {
                add(index, offset, seed);
            }
        }

        /** Keeps an entry frame whatever the stride: the first of a run. */
        void add(long index, long offset, int seed) {
            if (count == indexes.length) {
                indexes = Arrays.copyOf(indexes, count * 2);
                offsets = Arrays.copyOf(offsets, count * 2);
                seeds = Arrays.copyOf(seeds, count * 2);
            }
            indexes[count] = index;
            offsets[count] = offset;
            seeds[count] = seed;
            count++;
            nextOffset = offset + STRIDE_BYTES;
        }

        SegmentSamples build() {
            return count == 0 ? NONE
                    : new SegmentSamples(Arrays.copyOf(indexes, count), Arrays.copyOf(offsets, count),
                            Arrays.copyOf(seeds, count), count);
        }
    }
}

package dev.jwal.core.engine.segment;

import java.util.Arrays;

/** The rule by which every segment's metadata record must agree with the first one's. */
public final class SegmentMetadata {

    private SegmentMetadata() {
    }

    /**
     * Whether {@code next} differs from the metadata {@code seen} so far ({@code null} before the
     * first): etcd's {@code ErrMetadataConflict}. etcd compares with Go's {@code bytes.Equal}, for
     * which nil and empty are equal.
     */
    public static boolean conflicts(byte[] seen, byte[] next) {
        return seen != null && !Arrays.equals(seen, next == null ? new byte[0] : next);
    }
}

package dev.jwal.core;

import java.nio.file.Path;

/**
 * An entry whose index leaves a gap after the entries read so far: etcd's
 * {@code ErrSliceOutOfRange}.
 */
public class SliceOutOfRangeException extends WalCorruptionException {

    public SliceOutOfRangeException(long index, long expectedAtMost, Path file, long offset) {
        super("wal: slice bounds out of range: entry " + Long.toUnsignedString(index) + " after "
                + Long.toUnsignedString(expectedAtMost - 1), file, offset);
    }
}

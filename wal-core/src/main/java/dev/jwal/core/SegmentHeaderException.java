package dev.jwal.core;

import java.nio.file.Path;

/**
 * A segment that does not start with a crc record followed by the metadata: an empty or
 * zero-filled file under a segment's name, or a damaged header. jwal and etcd write and sync a
 * segment's header before they give it its name, so this is never a torn write; appending to
 * such a file would make a segment no reader can start from.
 */
public class SegmentHeaderException extends WalCorruptionException {

    public SegmentHeaderException(String problem, Path file, long offset) {
        super("wal: bad segment header: " + problem + " (jwal and etcd never name a segment before its crc"
                + " record and metadata are on disk)", file, offset);
    }
}

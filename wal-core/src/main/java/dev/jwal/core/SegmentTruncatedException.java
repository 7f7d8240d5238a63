package dev.jwal.core;

import java.nio.file.Path;

/**
 * A segment that is not the last ends inside a frame. Only the last segment is ever being
 * written, and a segment is complete before the next one is named, so a short middle segment has
 * lost bytes: corruption, never a torn tail. etcd reads it as an unexpected EOF, the kind this
 * keeps; nothing cuts it.
 */
public class SegmentTruncatedException extends UnexpectedEofException {

    private final long missingFrom;
    private final long missingTo;

    public SegmentTruncatedException(Path file, long offset, long missingFrom, long missingTo) {
        super("segment truncated: it is not the last segment, and its frame at offset " + offset + " needs bytes "
                + missingFrom + "-" + missingTo + " that the file does not have", file, offset, null,
                "the segment is not the last");
        this.missingFrom = missingFrom;
        this.missingTo = missingTo;
    }

    /** The first missing byte: the file's size. */
    public long missingFrom() {
        return missingFrom;
    }

    /** Where the frame that runs past the end of the file would end. */
    public long missingTo() {
        return missingTo;
    }
}

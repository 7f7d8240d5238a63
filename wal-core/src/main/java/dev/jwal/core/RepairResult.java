package dev.jwal.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link WalDirectory#repair} did to the last segment.
 *
 * @param file the last segment
 * @param truncated whether it was cut: false when the log already ended cleanly
 * @param truncatedAt the offset it was cut at: the start of the damaged record
 * @param bytesRemoved how many bytes the cut removed
 * @param brokenCopy the copy of the whole file made before the cut, when there was one
 * @param discarded the readable records the cut threw away: none for a torn tail, and only ever
 *     some through {@link WalDirectory#repairDiscardingReadable}
 */
public record RepairResult(Path file, boolean truncated, long truncatedAt, long bytesRemoved, Path brokenCopy,
        ReadableRecords discarded) {

    /** What a repair of a log that already ended cleanly did: nothing to {@code file}. */
    public static RepairResult clean(Path file) {
        return new RepairResult(file, false, -1, 0, null, ReadableRecords.NONE);
    }

    /** The {@code .broken} copy, when the file was cut. */
    public Optional<Path> broken() {
        return Optional.ofNullable(brokenCopy);
    }
}

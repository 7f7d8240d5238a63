package dev.jwal.core;

import java.nio.file.Path;

/**
 * The segments do not have consecutive sequence numbers: one is missing, or two share a number.
 * Segments are only added at the end and removed from the front, so either is damage to the
 * directory, which {@link WalVerdict} calls corrupt everywhere. The kind stays etcd's: it
 * reports this as {@code ErrFileNotFound}, like a directory with nothing to open.
 */
public class FileSequenceGapException extends NoWalFilesException {

    public FileSequenceGapException(Path directory, String previous, String next) {
        super(directory, "segment sequence " + (sameSequence(previous, next) ? "duplicated" : "gap") + " between "
                + previous + " and " + next);
    }

    private static boolean sameSequence(String previous, String next) {
        return previous.length() >= 16 && next.length() >= 16
                && previous.substring(0, 16).equals(next.substring(0, 16));
    }
}

package dev.jwal.core;

import java.nio.file.Path;

/**
 * The segments to read do not have consecutive sequence numbers, so one is missing (etcd reports
 * this as {@code ErrFileNotFound} too).
 */
public class FileSequenceGapException extends NoWalFilesException {

    public FileSequenceGapException(Path directory, String previous, String next) {
        super(directory, "segment sequence gap between " + previous + " and " + next);
    }
}

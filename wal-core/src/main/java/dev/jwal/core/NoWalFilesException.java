package dev.jwal.core;

import java.nio.file.Path;

/**
 * The directory holds no segment at or before the requested index (etcd's {@code ErrFileNotFound},
 * "wal: file not found").
 */
public class NoWalFilesException extends WalException {

    public NoWalFilesException(Path directory, String detail) {
        super("wal: file not found: " + detail, directory, -1, null);
    }
}

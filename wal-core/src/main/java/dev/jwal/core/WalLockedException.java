package dev.jwal.core;

import java.nio.file.Path;

/** Another process, or another {@link Wal} in this JVM, holds the segment's write lock. */
public class WalLockedException extends WalException {

    public WalLockedException(Path file) {
        super("wal: locked by another writer", file, -1, null);
    }
}

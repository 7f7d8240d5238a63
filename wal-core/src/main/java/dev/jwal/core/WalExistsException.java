package dev.jwal.core;

import java.nio.file.Path;

/** {@link Wal#create} was pointed at a directory that already holds a WAL, or other files. */
public class WalExistsException extends WalException {

    public WalExistsException(Path directory, String detail) {
        super("wal: cannot create: " + detail, directory, -1, null);
    }
}

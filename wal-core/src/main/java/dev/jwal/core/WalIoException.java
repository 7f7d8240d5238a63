package dev.jwal.core;

import java.io.IOException;
import java.nio.file.Path;

/** An I/O operation on a WAL file or directory failed. */
public class WalIoException extends WalException {

    public WalIoException(String action, Path file, IOException cause) {
        super("wal: " + action + " failed: " + cause, file, -1, cause);
    }
}

package dev.jwal.core;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An I/O operation on a WAL file or directory failed. A read that fails (EIO) is this, naming the
 * file and the offset: never the end of the log, never a clean verdict ({@link WalVerdict}).
 */
public class WalIoException extends WalException {

    public WalIoException(String action, Path file, IOException cause) {
        this(action, file, -1, cause);
    }

    public WalIoException(String action, Path file, long offset, IOException cause) {
        super("wal: " + action + " failed: " + cause, file, offset, cause);
    }
}

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

    /**
     * @param action what was being done, read before the file's name ("reading", "syncing",
     *     "opening a segment of the WAL in")
     */
    public WalIoException(String action, Path file, long offset, IOException cause) {
        super("wal: " + action + named(file) + (offset < 0 ? "" : " at offset " + offset) + " failed: " + cause, file,
                offset, cause);
    }

    /** The file's own name, so that the sentence says what was acted on; the whole path follows it. */
    private static String named(Path file) {
        return file == null || file.getFileName() == null ? "" : " " + file.getFileName();
    }
}

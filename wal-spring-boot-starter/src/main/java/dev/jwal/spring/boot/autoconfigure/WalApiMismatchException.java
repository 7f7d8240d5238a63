package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.WalException;
import java.nio.file.Path;

/**
 * The directory holds a WAL written through the other API than {@code wal.api} names: an
 * application log opened as a raft node's WAL, or a raft node's WAL opened as an application log.
 * One API per directory: the two read each other's records wrongly.
 */
public class WalApiMismatchException extends WalException {

    private final Path directory;
    private final WalApi found;
    private final WalApi configured;

    public WalApiMismatchException(Path directory, WalApi found, WalApi configured, Throwable cause) {
        super("wal: the WAL in " + directory + " was written through wal.api=" + name(found) + ", but wal.api is "
                + name(configured) + (cause == null ? "" : " (" + cause.getMessage() + ")"), cause);
        this.directory = directory;
        this.found = found;
        this.configured = configured;
    }

    private static String name(WalApi api) {
        return api.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The WAL's directory. */
    public Path directory() {
        return directory;
    }

    /** The API that wrote the directory. */
    public WalApi found() {
        return found;
    }

    /** The API {@code wal.api} asked for. */
    public WalApi configured() {
        return configured;
    }
}

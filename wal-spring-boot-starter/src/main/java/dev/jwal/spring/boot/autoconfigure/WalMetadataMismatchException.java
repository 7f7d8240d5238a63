package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.WalException;
import java.nio.file.Path;

/**
 * The WAL in the configured directory holds other metadata than {@code wal.metadata}: most likely
 * the directory of another node or cluster.
 */
public class WalMetadataMismatchException extends WalException {

    private final Path directory;

    public WalMetadataMismatchException(Path directory, String configured, String found) {
        super("wal: the WAL in " + directory + " holds metadata '" + found + "', but wal.metadata is '" + configured
                + "'");
        this.directory = directory;
    }

    /** The WAL's directory. */
    public Path directory() {
        return directory;
    }
}

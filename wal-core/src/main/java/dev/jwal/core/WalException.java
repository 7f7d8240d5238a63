package dev.jwal.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The root of every error jwal raises. Subclasses name what went wrong, in the spirit of etcd's
 * {@code ErrCRCMismatch}, {@code ErrSnapshotNotFound} and friends; where the error is about a
 * place on disk, {@link #file()} and {@link #offset()} say where.
 */
public class WalException extends RuntimeException {

    private final Path file;
    private final long offset;

    public WalException(String message) {
        this(message, null, -1, null);
    }

    public WalException(String message, Throwable cause) {
        this(message, null, -1, cause);
    }

    protected WalException(String message, Path file, long offset, Throwable cause) {
        super(describe(message, file, offset), cause);
        this.file = file;
        this.offset = offset;
    }

    private static String describe(String message, Path file, long offset) {
        if (file == null) {
            return message;
        }
        return offset < 0 ? message + " (file " + file + ")" : message + " (file " + file + ", offset " + offset + ")";
    }

    /** The file the error is about, when there is one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The byte offset inside {@link #file()} where the error was found, or -1 when not known. */
    public long offset() {
        return offset;
    }
}

package dev.jwal.sample;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file that does not read back as it was written. */
public class SnapshotCorruptException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public SnapshotCorruptException(Path file, String reason) {
        super("snapshot " + file + " is corrupt: " + reason);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}

package dev.jwal.sample;

import java.nio.file.Path;

/** Another process (or another context in this one) holds the data directory's lock. */
public class DataDirectoryInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    public DataDirectoryInUseException(Path directory) {
        super("the data directory " + directory + " is in use: another instance holds "
                + directory.resolve(DataDirectoryLock.FILE_NAME));
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}

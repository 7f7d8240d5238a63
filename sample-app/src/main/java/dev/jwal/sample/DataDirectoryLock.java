package dev.jwal.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The service's hold on its data directory: an exclusive lock on {@code <data-dir>/.lock}, taken
 * before anything reads, cleans or writes there. A second instance started on the same directory
 * fails here, before it has looked at a snapshot or a temporary file that the running one is
 * writing. The WAL keeps its own segment locks too; this one covers the snapshots beside it.
 */
public final class DataDirectoryLock implements AutoCloseable {

    /** The lock file's name inside the data directory. */
    public static final String FILE_NAME = ".lock";

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed (0700) and locks it.
     *
     * @throws DataDirectoryInUseException when another process holds it
     */
    public static DataDirectoryLock acquire(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, privateDirectory());
            }
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    privateFile());
            if (POSIX) {
                // private like every other file of the service, whatever the umask, or an older
                // run, left it with
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new DataDirectoryInUseException(directory);
            }
            return new DataDirectoryLock(directory, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("locking the data directory " + directory + " (" + file + ") failed", e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Lets the directory go; the WAL and snapshots must be closed first. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
    }

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private static FileAttribute<?>[] privateFile() {
        if (POSIX) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    static FileAttribute<?>[] privateDirectory() {
        if (POSIX) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))};
        }
        return new FileAttribute<?>[0];
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
        }
    }
}

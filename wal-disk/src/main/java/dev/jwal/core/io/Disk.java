package dev.jwal.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file system operations a WAL needs, and no others: the service-provider interface under
 * every WAL (see the package). Files and directories are created private to the owner (0600 and
 * 0700, as etcd does). Implementations are shared by every thread of every WAL that uses them.
 */
public interface Disk {

    /** Opens a file for reading and writing, creating it (empty) when {@code create} is set. */
    DiskFile openForWrite(Path file, boolean create) throws IOException;

    /** Opens an existing file for reading. */
    DiskFile openForRead(Path file) throws IOException;

    /** The names in a directory, sorted; fails if it is not a directory. */
    List<String> list(Path directory) throws IOException;

    /** Whether a file or directory is at {@code path}. */
    boolean exists(Path path);

    /** Whether {@code path} is a directory. */
    boolean isDirectory(Path path);

    /** Creates a directory and any missing parents, private to the owner. */
    void createDirectories(Path directory) throws IOException;

    /** Renames atomically, replacing nothing: the target must not exist. */
    void rename(Path from, Path to) throws IOException;

    /** Deletes a file or an empty directory; fails when there is none. */
    void delete(Path path) throws IOException;

    /** Deletes a directory and everything in it; nothing happens when it does not exist. */
    void deleteRecursively(Path directory) throws IOException;

    /** fsyncs a directory, making the creations, renames and deletions in it durable. */
    void syncDirectory(Path directory) throws IOException;

    /**
     * Empties {@code file} (creating it private to the owner) and reserves {@code size} bytes of
     * blocks for it without writing them, where this disk can (Linux's {@code fallocate(2)}); the
     * file then reads as {@code size} zeros. False where it cannot, the file left empty or as it
     * was: the caller then writes the zeros itself. Called before the file is opened.
     */
    default boolean reserve(Path file, long size) throws IOException {
        return false;
    }
}

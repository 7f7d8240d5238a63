package dev.jwal.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An open file. Reads and writes are positional, so a file has no cursor to share between
 * threads. Closing releases the lock if this handle holds it.
 */
public interface DiskFile extends Closeable {

    /** Where the file is now (renames through {@link Disk#rename} update it). */
    Path path();

    /** The file's length in bytes. */
    long size() throws IOException;

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Cuts the file to {@code size} bytes, if it is longer. */
    void truncate(long size) throws IOException;

    /** fdatasync: makes the file's data (and the metadata needed to read it) durable. */
    void sync() throws IOException;

    /**
     * Grows the file to {@code size} bytes of zeros. With {@code allocate} the zeros are written, so
     * that the blocks exist before data lands in them; otherwise the file is extended sparsely.
     */
    void extend(long size, boolean allocate) throws IOException;

    /**
     * Takes the exclusive write lock without waiting. False when another process or another handle
     * in this JVM holds it.
     */
    boolean tryLock() throws IOException;

    /** Whether this handle holds the lock. */
    boolean isLocked();

    /** Releases the lock, keeping the file open. */
    void unlock() throws IOException;
}

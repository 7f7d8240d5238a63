package dev.jwal.test;

import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.ForwardingDisk;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A disk that counts the bytes read from files, for tests of how much an operation reads: an
 * open that should read each record once, a read by index that should take one positional read.
 */
public final class ReadCountingDisk extends ForwardingDisk {

    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private volatile Thread only;

    /** Counts reads of the real disk. */
    public ReadCountingDisk() {
        this(RealDisk.INSTANCE);
    }

    /** Counts reads of {@code disk}. */
    public ReadCountingDisk(Disk disk) {
        super(disk);
    }

    /** Bytes read from files since this disk was made or {@link #reset()}. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** Read calls since this disk was made or {@link #reset()}. */
    public long reads() {
        return reads.get();
    }

    /** Starts counting again from zero. */
    public void reset() {
        bytesRead.set(0);
        reads.set(0);
    }

    /**
     * Counts only the reads {@code thread} makes (null: every thread's): what a caller waits for,
     * without what a WAL's background threads read beside it.
     */
    public ReadCountingDisk countingOnly(Thread thread) {
        this.only = thread;
        return this;
    }

    @Override
    public DiskFile openForRead(Path file) throws IOException {
        return counted(super.openForRead(file));
    }

    @Override
    protected DiskFile wrap(DiskFile file) {
        return counted(file);
    }

    private DiskFile counted(DiskFile file) {
        return new ForwardingDiskFile(file) {
            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                int n = super.read(dst, position);
                Thread counted = only;
                if (counted != null && counted != Thread.currentThread()) {
                    return n;
                }
                reads.incrementAndGet();
                if (n > 0) {
                    bytesRead.addAndGet(n);
                }
                return n;
            }
        };
    }
}

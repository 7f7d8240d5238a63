package dev.jwal.core.engine;

import dev.jwal.core.WalOptions;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.ForwardingDisk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A disk whose reads are paced to a byte rate: what an examination reads through when it runs
 * beside a live writer, so that a verify of the whole log yields the disk to appends instead of
 * taking all of its bandwidth (Java has no I/O priority to lower). Writes are not paced; nothing
 * that paces writes through it.
 */
public final class PacedDisk extends ForwardingDisk {

    private final Pacer pacer;

    /** The disk of {@code options}, paced to their {@link WalOptions#examineReadRate()} when one is set. */
    public static Disk forExamining(WalOptions options) {
        long rate = options.examineReadRate();
        return rate == 0 ? options.disk() : new PacedDisk(options.disk(), rate);
    }

    public PacedDisk(Disk delegate, long bytesPerSecond) {
        this(delegate, new Pacer(bytesPerSecond, System::nanoTime, PacedDisk::parkUntilDue));
    }

    PacedDisk(Disk delegate, Pacer pacer) {
        super(delegate);
        this.pacer = pacer;
    }

    @Override
    public DiskFile openForRead(Path file) throws IOException {
        return paced(super.openForRead(file));
    }

    @Override
    protected DiskFile wrap(DiskFile file) {
        return paced(file);
    }

    private DiskFile paced(DiskFile file) {
        return new ForwardingDiskFile(file) {
            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                int read = super.read(dst, position);
                if (read > 0) {
                    pacer.paid(read);
                }
                return read;
            }
        };
    }

    /** Parks for {@code nanos}; an interrupt ends the wait early, and the flag stays set. */
    private static void parkUntilDue(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !Thread.currentThread().isInterrupted(); left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * The arithmetic of pacing, apart from the clock and the wait so that it can be tested without
     * either: every byte read costs {@code 1 / rate} seconds of an account that refills with time,
     * and a reader that has spent more than a burst's worth ahead of the clock waits the difference.
     */
    static final class Pacer {

        /** Reads this far ahead of the rate pass without waiting: a segment's first megabyte. */
        static final long BURST_BYTES = 1 << 20;

        /** Waits the reader for so many nanoseconds. */
        interface Wait {
            void nanos(long nanos);
        }

        private final long bytesPerSecond;
        private final LongSupplier clock;
        private final Wait wait;
        private long due = Long.MIN_VALUE;

        Pacer(long bytesPerSecond, LongSupplier clock, Wait wait) {
            if (bytesPerSecond <= 0) {
                throw new IllegalArgumentException("a pace must be positive, was " + bytesPerSecond);
            }
            this.bytesPerSecond = bytesPerSecond;
            this.clock = clock;
            this.wait = wait;
        }

        /** Accounts for {@code bytes} just read, and waits if the reader is ahead of the rate. */
        void paid(long bytes) {
            long ahead;
            synchronized (this) {
                long now = clock.getAsLong();
                long burst = nanosFor(BURST_BYTES);
                if (due == Long.MIN_VALUE || due < now - burst) {
                    // idle, or behind by more than a burst: the account is full, not overflowing
                    due = now - burst;
                }
                due += nanosFor(bytes);
                ahead = due - now;
            }
            if (ahead > 0) {
                wait.nanos(ahead);
            }
        }

        private long nanosFor(long bytes) {
            return (long) ((double) bytes * TimeUnit.SECONDS.toNanos(1) / bytesPerSecond);
        }
    }
}

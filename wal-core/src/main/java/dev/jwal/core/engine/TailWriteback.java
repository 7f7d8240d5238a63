package dev.jwal.core.engine;

import dev.jwal.core.SyncPolicy;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;

/**
 * Starts the disk's work on an unsynced tail early, under {@link SyncPolicy#NONE} and
 * {@link SyncPolicy#INTERVAL}: every so many bytes written, one fdatasync of the tail runs on this
 * thread while the log writer goes on appending. It makes nothing durable that the WAL reports as
 * durable; it spreads the writing of a segment over the time it fills, so that the fdatasync a
 * cut needs (the old tail must be durable before the new segment's name is, or a power loss could
 * leave a torn segment in the middle of the log) finds little left to write. Without it the log
 * writer stopped at every cut for as long as the disk took to write the whole segment.
 *
 * <p>At most one fdatasync runs at a time; a request while one runs is skipped, since the next
 * covers everything. A failed fdatasync is kept and thrown on the writer's next use, which
 * poisons the WAL: after a failed fdatasync the kernel may have dropped the pages it could not
 * write, saves the WAL had reported written among them, and it is never retried.
 */
final class TailWriteback {

    /** Segments at least this large are written back as they fill; smaller ones need no help. */
    static final long MIN_SEGMENT_SIZE = 8L << 20;

    /** How many writebacks a segment gets while it fills. */
    private static final int PER_SEGMENT = 8;

    private final long every;
    private final Thread thread;
    private DiskFile pending;
    private boolean running;
    private boolean stopped;
    private IOException failure;
    private DiskFile failedFile;

    /** A writeback every {@code segmentSize / 8} bytes; its thread is named after {@code name}. */
    TailWriteback(long segmentSize, String name) {
        this.every = segmentSize / PER_SEGMENT;
        this.thread = new Thread(this::run, "jwal-writeback " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether a WAL of this policy and segment size gets a writeback thread. */
    static boolean wanted(SyncPolicy policy, long segmentSize) {
        return (policy == SyncPolicy.NONE || policy == SyncPolicy.INTERVAL) && segmentSize >= MIN_SEGMENT_SIZE;
    }

    /** Bytes written to the tail between two writebacks. */
    long every() {
        return every;
    }

    /**
     * Starts an fdatasync of {@code tail} unless one is running; false when skipped. Throws an
     * earlier writeback's failure instead.
     */
    synchronized boolean start(DiskFile tail) throws IOException {
        throwIfFailed();
        if (running || stopped) {
            return false;
        }
        pending = tail;
        running = true;
        notifyAll();
        return true;
    }

    /** Throws the failure of a writeback that has ended, if one failed. */
    synchronized void throwIfFailed() throws IOException {
        if (failure != null) {
            throw new IOException("fdatasync of " + failedFile.path() + " (written back while appending) failed: "
                    + failure.getMessage(), failure);
        }
    }

    /** Waits until no writeback runs: before the writer closes a channel one may be using. */
    synchronized void awaitIdle() {
        boolean interrupted = false;
        while (running) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a running writeback and ends the thread. */
    void stop() {
        synchronized (this) {
            awaitIdle();
            stopped = true;
            notifyAll();
        }
        LogWriter.joinUninterruptibly(thread);
    }

    private void run() {
        while (true) {
            DiskFile file;
            synchronized (this) {
                while (pending == null && !stopped) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // nobody interrupts this private thread on purpose; it must not stop half way
                        Thread.interrupted();
                    }
                }
                if (pending == null) {
                    return;
                }
                file = pending;
                pending = null;
            }
            IOException failed = null;
            try {
                file.sync();
            } catch (IOException e) {
                failed = e;
            }
            synchronized (this) {
                if (failed != null && failure == null) {
                    failure = failed;
                    failedFile = file;
                }
                running = false;
                notifyAll();
            }
        }
    }
}

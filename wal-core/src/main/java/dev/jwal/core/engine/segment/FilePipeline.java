package dev.jwal.core.engine.segment;

import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps one preallocated, locked spare segment ready in the background, so that a cut never
 * waits for a 64 MB allocation (etcd's {@code filePipeline}). Spares are named {@code 0.tmp} and
 * {@code 1.tmp} in turn, so the next one never collides with the one just handed out, which keeps
 * its temporary name until the cut renames it.
 *
 * <p>Each spare is created empty, grown to the segment size and fdatasynced here, off the write
 * path, so that the cut's own fdatasync has only the new records to persist. How it grows is
 * {@link Preallocation}'s choice; either way it reads as zeros after the records, as etcd's.
 *
 * <p>Zeros are written a step at a time, each step fdatasynced before the next: on ext4 (ordered
 * data) a save's fdatasync commits the journal, and a commit first writes out the dirty pages of
 * every newly allocated block, a spare's zeros included. Written in one go and synced at the
 * end, a 64 MB spare would ride on whichever save's fdatasync came next; in steps, no save carries
 * more than one step of it. (Resting between steps as long as each took was tried and dropped:
 * in open-loop runs it did not shorten the longest saves beside a spare's preparation, and by
 * construction it made the preparation twice as long.)
 */
public final class FilePipeline implements AutoCloseable {

    private final Disk disk;
    private final Path directory;
    private final long size;
    private final Preallocation preallocation;
    /** Bytes of zeros written between two fdatasyncs of a spare (see the class comment). */
    static final long ZERO_STEP = 1L << 20;

    private final ExecutorService worker;
    private int count;
    /** Set by {@link #close()}: a spare still being zeroed is given up. */
    private volatile boolean closing;
    private CompletableFuture<DiskFile> next;

    public FilePipeline(Disk disk, Path directory, long size, Preallocation preallocation) {
        this.disk = disk;
        this.directory = directory;
        this.size = size;
        this.preallocation = preallocation;
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "jwal-file-pipeline " + directory);
            thread.setDaemon(true);
            return thread;
        });
        this.next = prepareNext();
    }

    /** The next spare, waiting for it if it is not ready yet. The caller owns the file. */
    public DiskFile take() throws IOException {
        CompletableFuture<DiskFile> ready = next;
        next = null;
        DiskFile spare;
        try {
            spare = ready.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
        next = prepareNext();
        return spare;
    }

    private CompletableFuture<DiskFile> prepareNext() {
        Path path = directory.resolve((count++ % 2) + ".tmp");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return allocate(path);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, worker);
    }

    private DiskFile allocate(Path path) throws IOException {
        // Reserved before it is opened here (see Disk#reserve); no other writer can hold a spare
        // of this directory, whose segments this WAL has locked.
        boolean reserved = preallocation == Preallocation.RESERVE && disk.reserve(path, size);
        DiskFile file = disk.openForWrite(path, true);
        try {
            if (!file.tryLock()) {
                throw new IOException("spare segment " + path + " is locked by another writer");
            }
            if (!reserved) {
                // A spare left by a crash may hold a half-written header: start from nothing.
                file.truncate(0);
                if (preallocation == Preallocation.SPARSE) {
                    file.extend(size, false);
                } else {
                    writeZerosInSteps(file);
                }
            }
            file.sync();
            return file;
        } catch (IOException | RuntimeException e) {
            file.close();
            if (e instanceof Closing) {
                // nobody will take it: a half-zeroed spare is removed, as close removes a whole one
                disk.delete(path);
            }
            throw e;
        }
    }

    /** A spare's preparation given up because the pipeline is closing. */
    private static final class Closing extends IOException {
        Closing() {
            super("the file pipeline is closing");
        }
    }

    private void writeZerosInSteps(DiskFile file) throws IOException {
        for (long written = 0; written < size; ) {
            if (closing) {
                // a WAL closing right after a cut does not wait for a spare it will delete
                throw new Closing();
            }
            written = Math.min(size, written + ZERO_STEP);
            file.extend(written, true);
            if (written < size) {
                file.sync();
            }
        }
    }

    /** Stops the pipeline, leaving its spare on disk as a crash would. */
    public void abandon() {
        worker.shutdown();
        CompletableFuture<DiskFile> pending = next;
        next = null;
        if (pending != null) {
            try {
                pending.join().close();
            } catch (CompletionException | IOException ignored) {
                // a crash does not report on its spare either
            }
        }
    }

    /** Stops the pipeline and removes the spare it had ready. */
    @Override
    public void close() throws IOException {
        closing = true;
        worker.shutdown();
        CompletableFuture<DiskFile> pending = next;
        next = null;
        if (pending == null) {
            return;
        }
        DiskFile spare;
        try {
            spare = pending.join();
        } catch (CompletionException failedAnyway) {
            return;
        }
        try {
            disk.delete(spare.path());
        } finally {
            spare.close();
        }
    }
}

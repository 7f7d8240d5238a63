package dev.jwal.core.engine;

import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.WalClosedException;
import dev.jwal.core.WalException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalPoisonedException;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalStatus;
import dev.jwal.core.engine.codec.RollingCrc;
import dev.jwal.core.engine.segment.FrameEncoder;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who writes a writable WAL's files, and in what order: the segment channels, the page writer,
 * cuts, the spare pipeline's hand-over, fdatasync, lock releases and purges. Whoever writes holds
 * the files' lock ({@link #files}' pen), so one thread at a time does, in the order requests were
 * accepted.
 *
 * <p>Two kinds of thread write. A save that finds nothing queued and the files free is written,
 * and synced as the policy asks, by its own caller ({@link #claimForCaller}, {@link #writeClaimed}),
 * the leader of a group of one, as the leader/follower group commit of RocksDB and PostgreSQL:
 * no thread is woken, so its latency is the disk's and not the scheduler's. Everything else is
 * queued for this class's own thread, which takes the whole queue once it holds the files, writes
 * it with as few writes as the page writer needs, and makes it durable with one fdatasync;
 * whatever is queued meanwhile rides on the next one, as in BookKeeper's journal. A caller who
 * finds the files busy therefore queues behind the writer, and the order stays the order of
 * acceptance. No interrupt reaches a channel on either thread (the disk's writes and syncs cannot
 * be closed by one), and a caller who writes its own save is told its outcome directly.
 *
 * <p>The files themselves, and where cuts fall, are {@link SegmentWriter}'s; this class is the
 * queue, the batches, and telling each caller how its request ended.
 */
final class LogWriter {

    private static final System.Logger LOG = System.getLogger(LogWriter.class.getName());

    /** Requests taken in one batch at most: bounds the work between two publications of the status. */
    private static final int MAX_BATCH = 8192;

    private final Path directory;
    private final WalOptions options;
    private final SafeListener listener;
    private final Completer completer;
    private final QueueRoom room;
    /** {@link WalOptions#callerWrites()}, unless a group wait asks every save to wait for company. */
    private final boolean callerMayWrite;
    private final Thread thread;
    private final RequestQueue queue;

    /**
     * Held by whoever writes the files: this class's thread from taking a batch to telling its
     * callers, or a caller writing its own save. Never held while waiting for work.
     */
    private final ReentrantLock pen = new ReentrantLock();
    /** Requests settled under the pen by the thread holding it, told once it lets go. */
    private final ThreadLocal<List<LogRequest>> settled = ThreadLocal.withInitial(ArrayList::new);
    /** The files; written only under {@link #pen}. */
    private final SegmentWriter files;
    /** Read without the pen by the writer deciding how long to wait, so volatile. */
    private volatile boolean appending;
    private volatile boolean stopped;
    private volatile WalException poison;
    private volatile WalStatus status;

    LogWriter(Path directory, WalOptions options, Completer completer, QueueRoom room) {
        this.directory = directory;
        this.options = options;
        this.listener = new SafeListener(options.listener());
        this.completer = completer;
        this.room = room;
        this.callerMayWrite = options.callerWrites()
                && !(options.syncPolicy() == SyncPolicy.GROUP && !options.groupWait().isZero());
        this.files = new SegmentWriter(directory, options, listener);
        this.status = new WalStatus(0, 0, 0, List.of(), Optional.empty(), Optional.empty(), false, 0, 0, 0);
        this.thread = new Thread(this::run, "jwal-writer " + directory.getFileName());
        thread.setDaemon(true);
        this.queue = new RequestQueue(thread);
        thread.start();
    }

    // ---------------------------------------------------------------------------------------------
    // The callers' side

    void submit(LogRequest request) {
        request.spin = options.spinWait();
        queue.add(request);
    }

    /**
     * Whether the caller may write {@code request}'s save itself, now: the policy allows it, the
     * WAL is appending, and no request is queued or being written. Called under the lock every
     * submission takes, so that nothing can be queued ahead of it meanwhile; when true the caller
     * holds the files and must call {@link #writeClaimed} at once.
     */
    boolean claimForCaller() {
        if (!callerMayWrite || !pen.tryLock()) {
            return false;
        }
        // Taken in this order: the writer takes from the queue only while it holds the pen, so a
        // queue found empty with the pen held has nothing in it or in flight ahead of the caller.
        if (!queue.isEmpty() || !appending || stopped) {
            pen.unlock();
            return false;
        }
        return true;
    }

    /**
     * Writes a save claimed by {@link #claimForCaller} on the calling thread, syncs it as the
     * policy says and records its outcome, then lets go of the files; the writer thread, woken by
     * whatever was queued meanwhile, takes over from there.
     */
    void writeClaimed(SaveRequest request) {
        try {
            process(List.of(request));
        } finally {
            pen.unlock();
            tellSettled();
        }
        if (files.isSealed()) {
            // the save filled its segment: the writer opens the next one, off this caller's path
            queue.wake();
        } else if (options.syncPolicy() == SyncPolicy.INTERVAL) {
            // a writer parked with nothing unsynced must now keep the interval
            queue.nudge();
        }
    }

    /** Runs {@code task} on the writer thread and waits for it, whatever interrupts come. */
    <T> T call(Callable<T> task) {
        LogRequest request = new TaskRequest(task);
        submit(request);
        @SuppressWarnings("unchecked")
        T result = (T) request.awaitUninterruptibly();
        return result;
    }

    WalException poison() {
        return poison;
    }

    WalStatus status() {
        return status;
    }

    /** The last index written to the file itself, not only to the page writer's buffer. */
    long flushedIndex() {
        return files.flushedIndex();
    }

    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    /** Waits for the writer thread to end, after a close or abandon request. */
    void join() {
        joinUninterruptibly(thread);
    }

    /** Waits for {@code other} to end whatever interrupts come; the flag is set again afterwards. */
    static void joinUninterruptibly(Thread other) {
        boolean interrupted = false;
        while (other.isAlive()) {
            try {
                other.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Tasks the creating and opening code runs on this thread

    /** Adopts the segments a create or open has locked. */
    void adopt(List<OpenSegment> opened) {
        files.adopt(opened);
        publish();
    }

    /** Starts appending at {@code offset} of the tail, continuing {@code crc}: after create or replay. */
    void startAppending(long offset, RollingCrc crc, byte[] metadata, HardState state, long lastIndex,
            EntryIndex index, boolean withPipeline, List<WalSnapshot> markersInTail) {
        files.startAppending(offset, crc, metadata, state, lastIndex, index, markersInTail);
        if (withPipeline) {
            files.startPipeline();
        }
        appending = true;
        publish();
    }

    /** The segments' directory was renamed: their paths are published again from the files. */
    void segmentsMoved() {
        files.forgetPublishedPaths();
        publish();
    }

    /** Starts preparing spare segments in the WAL's directory, which must exist by now. */
    void startPipeline() {
        files.startPipeline();
    }

    FrameEncoder encoder() {
        return files.encoder();
    }

    /** Flushes and fdatasyncs the tail: the end of creating a WAL. */
    void flushAndSyncTail() throws IOException {
        files.flushAndSync();
    }

    /** Closes the segments without syncing: a create or open that failed half way. */
    void closeSegmentsQuietly() {
        files.closeSegmentsQuietly();
    }

    /** Stops the thread after a failed create or open: nothing is appending. */
    void stopUnused() {
        submit(new StopRequest(false));
        join();
    }

    // ---------------------------------------------------------------------------------------------
    // The loop

    private void run() {
        List<LogRequest> batch = new ArrayList<>();
        while (!stopped) {
            boolean work = awaitWork();
            pen.lock();
            try {
                if (!work) {
                    if (files.isSealed()) {
                        openNextSegment();
                    } else if (intervalSyncDue() <= 0) {
                        syncInTheBackground();
                    }
                    continue;
                }
                queue.drainTo(batch, MAX_BATCH);
                if (!batch.isEmpty()) {
                    gather(batch);
                    process(batch);
                }
            } finally {
                pen.unlock();
                batch.clear();
                tellSettled();
            }
        }
        LogRequest left;
        while ((left = queue.poll()) != null) {
            finish(left, new WalClosedException());
        }
        tellSettled();
    }

    /**
     * Waits for a request, or until an {@link SyncPolicy#INTERVAL} sync may be due: true when one
     * is queued. Without the pen, so a caller may write meanwhile; what this reads of the files
     * is volatile, and a caller who leaves unsynced bytes nudges it.
     */
    private boolean awaitWork() {
        // The writer spins without a claim: it is one thread, and only right after a batch, when a
        // waiter just woken is likely to submit again.
        long spin = options.spinWait() ? Spinning.WRITER_NANOS : 0;
        long due = intervalSyncDue();
        if (due == Long.MAX_VALUE) {
            // Looked at again after the park is announced: a caller who wrote unsynced bytes
            // between the reading of the due time above and the announcement nudged nobody, and
            // the interval sync would otherwise wait for the next request.
            return queue.awaitWork(spin, -1, () -> files.isSealed() || intervalSyncDue() != Long.MAX_VALUE);
        }
        return due > 0 && queue.awaitWork(Math.min(spin, due), due, files::isSealed);
    }

    /** Nanoseconds until an {@link SyncPolicy#INTERVAL} sync is due; {@code Long.MAX_VALUE} for none. */
    private long intervalSyncDue() {
        if (options.syncPolicy() != SyncPolicy.INTERVAL || !appending || !files.unsynced() || poison != null) {
            return Long.MAX_VALUE;
        }
        return files.lastSyncNanos() + options.syncInterval().toNanos() - System.nanoTime();
    }

    /** Under {@link SyncPolicy#GROUP} with a group wait, lets more saves join before the sync. */
    private void gather(List<LogRequest> batch) {
        if (options.syncPolicy() != SyncPolicy.GROUP || options.groupWait().isZero()) {
            return;
        }
        long bytes = 0;
        boolean saving = false;
        for (LogRequest request : batch) {
            if (!(request instanceof SaveRequest save)) {
                // a sync, snapshot, close or anything else is waited for as it is
                return;
            }
            bytes += save.bytes;
            saving |= save.mustSync;
        }
        if (!saving) {
            return;
        }
        long deadline = System.nanoTime() + options.groupWait().toNanos();
        while (bytes < options.groupMaxBytes() && batch.size() < MAX_BATCH) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LogRequest more = queue.take(left);
            if (more == null) {
                return;
            }
            batch.add(more);
            if (!(more instanceof SaveRequest save)) {
                return;
            }
            bytes += save.bytes;
        }
    }

    /**
     * Writes a batch and makes it durable as the policy says, then tells each caller. Requests
     * waiting for the batch's flush or sync are held in {@code waiting}; a cut syncs everything
     * before it, so they are told at once.
     */
    private void process(List<LogRequest> batch) {
        List<LogRequest> waiting = new ArrayList<>();
        boolean flush = false;
        boolean sync = false;
        int savesInBatch = 0;
        for (int i = 0; i < batch.size(); i++) {
            LogRequest request = batch.get(i);
            try {
                if (request instanceof SaveRequest save) {
                    if (refuse(save)) {
                        continue;
                    }
                    savesInBatch++;
                    boolean cut = files.write(save);
                    waiting.add(save);
                    flush |= save.mustSync;
                    sync |= save.mustSync && syncsSaves();
                    if (cut) {
                        finishAll(waiting, null);
                        flush = false;
                        sync = false;
                    }
                } else if (request instanceof SnapshotRequest marker) {
                    if (refuse(marker)) {
                        continue;
                    }
                    files.writeSnapshot(marker.snapshot);
                    waiting.add(marker);
                    flush = true;
                    // under every policy: a compaction deletes state on the strength of it
                    sync = true;
                } else if (request instanceof SyncRequest syncing) {
                    if (refuse(syncing)) {
                        continue;
                    }
                    waiting.add(syncing);
                    flush = true;
                    sync |= syncing.durable;
                } else if (request instanceof ReleaseRequest release) {
                    files.releaseLockTo(release.index);
                    publish();
                    finish(release, null);
                } else if (request instanceof PurgeRequest purge) {
                    purge(purge);
                } else if (request instanceof TaskRequest task) {
                    runTask(task);
                } else if (request instanceof StopRequest stop) {
                    if (stop.cleanly) {
                        // A cut's second half still to come is done first, as etcd's cut
                        // would have: a closed WAL's files are the same either way.
                        openNextSegment();
                        endWrites(waiting, flush, sync || appending && poison == null);
                    } else {
                        finishAll(waiting, new WalClosedException());
                    }
                    stop(stop.cleanly);
                    publish();
                    finish(stop, null);
                    for (int j = i + 1; j < batch.size(); j++) {
                        finish(batch.get(j), new WalClosedException());
                    }
                    return;
                }
            } catch (IOException | RuntimeException e) {
                WalException error = poison(request.action(), e);
                // the earlier saves first: futures complete in save order, failures too
                finishAll(waiting, error);
                finish(request, error);
                flush = false;
                sync = false;
            }
        }
        if (savesInBatch > 0) {
            listener.groupCommitted(savesInBatch, queue.size());
        }
        endWrites(waiting, flush, sync);
    }

    /** Flushes and syncs as asked, then tells the waiting callers; a failure poisons and fails them. */
    private void endWrites(List<LogRequest> waiting, boolean flush, boolean sync) {
        if (poison != null) {
            finishAll(waiting, poison);
            return;
        }
        // Named by what failed: a pwrite's EIO is a failed write, not a failed sync.
        String action = "writing to";
        try {
            if (appending && (sync || flush)) {
                files.flush();
            }
            if (appending && sync) {
                action = "syncing";
                files.syncTail();
            }
            finishAll(waiting, null);
        } catch (IOException | RuntimeException e) {
            finishAll(waiting, poison(action, e));
        }
    }

    /** Fails a write request at once when the WAL can no longer append. */
    private boolean refuse(LogRequest request) {
        if (poison != null) {
            finish(request, new WalPoisonedException(poison));
            return true;
        }
        if (!appending) {
            finish(request, new WalClosedException());
            return true;
        }
        return false;
    }

    private void finishAll(List<LogRequest> waiting, WalException error) {
        if (waiting.isEmpty()) {
            return;
        }
        // Whoever is woken sees the state its request left, not the one before.
        publish();
        for (LogRequest request : waiting) {
            finish(request, error);
        }
        waiting.clear();
    }

    private void finish(LogRequest request, Throwable error) {
        settle(request, null, error);
    }

    /**
     * Settles a request's outcome under the pen; its caller is told once the pen is let go
     * ({@link #tellSettled}), so that a caller woken by it, saving again at once, finds the files
     * free and writes its next save itself instead of queueing behind the writer's last steps.
     */
    private void settle(LogRequest request, Object value, Throwable error) {
        if (request.settle(value, error)) {
            settled.get().add(request);
        }
    }

    /**
     * Tells the callers of the requests this thread settled, in the order they were settled: the
     * futures reach the completer in save order, since only one thread settles at a time and
     * tells before it can settle again. Runs after the pen is let go.
     */
    private void tellSettled() {
        List<LogRequest> toTell = settled.get();
        for (int i = 0; i < toTell.size(); i++) {
            LogRequest request = toTell.get(i);
            if (!request.recordSettled()) {
                continue;
            }
            if (request instanceof SaveRequest save) {
                room.giveBack(save.permits);
                // Handed to the completer before its waiter wakes, so that a waiter joining the
                // future finds it there to complete.
                if (save.future != null) {
                    completer.deliver(save);
                }
            }
            request.wake();
        }
        toTell.clear();
    }

    // ---------------------------------------------------------------------------------------------
    // Syncing, purging, tasks, stopping

    private boolean syncsSaves() {
        return options.syncPolicy() == SyncPolicy.ALWAYS || options.syncPolicy() == SyncPolicy.GROUP;
    }

    /** The {@link SyncPolicy#INTERVAL} sync when something was written since the last one; under the pen. */
    void syncIfWritten() {
        if (appending && files.unsynced() && poison == null) {
            syncInTheBackground();
        }
    }

    /**
     * The second half of a cut whose save was acknowledged after the first: the next segment,
     * opened while no save waits for it, unless one arrived first and opened it itself.
     */
    private void openNextSegment() {
        if (poison != null || !appending) {
            return;
        }
        try {
            files.openNextIfSealed();
        } catch (IOException | RuntimeException e) {
            poison("opening the next segment after", e);
        }
        publish();
    }

    /** The {@link SyncPolicy#INTERVAL} sync: what was written since the last one. */
    private void syncInTheBackground() {
        String action = "writing (for a background sync) to";
        try {
            files.flush();
            action = "syncing in the background";
            files.syncTail();
        } catch (IOException | RuntimeException e) {
            poison(action, e);
        }
        publish();
    }

    /**
     * A failed deletion or directory fsync poisons, as it ends an etcd server: the directory is
     * then in a state nobody chose, and the sync is never retried.
     */
    private void purge(PurgeRequest request) {
        List<Path> deleted = files.purge(request.keep);
        publish();
        settle(request, deleted, null);
    }

    private void runTask(TaskRequest request) {
        try {
            Object result = request.task.call();
            publish();
            settle(request, result, null);
        } catch (Exception e) {
            settle(request, null, e);
        }
    }

    /** Ends the WAL: the pipeline's spare is removed (or, abandoning, left) and every lock released. */
    private void stop(boolean cleanly) {
        stopped = true;
        appending = false;
        files.stop(cleanly);
    }

    private WalException poison(String action, Throwable failure) {
        WalException error;
        if (failure instanceof WalException w) {
            error = w;
        } else if (failure instanceof IOException io) {
            error = new WalIoException(action, files.currentFile(), io);
        } else {
            error = new WalException("wal: " + action + " " + directory + " failed: " + failure, failure);
        }
        if (poison == null) {
            poison = error;
            publish();
            listener.failed(error);
            LOG.log(Level.ERROR, "WAL " + directory + " is poisoned: no further appends", failure);
        }
        return error;
    }

    private void publish() {
        status = files.status(poison, stopped);
    }
}

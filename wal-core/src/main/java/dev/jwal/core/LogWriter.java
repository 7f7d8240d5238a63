package dev.jwal.core;

import dev.jwal.core.codec.RaftCodec;
import dev.jwal.core.codec.RollingCrc;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.segment.FilePipeline;
import dev.jwal.core.segment.FrameEncoder;
import dev.jwal.core.segment.PageWriter;
import dev.jwal.core.segment.SegmentDirectory;
import dev.jwal.core.segment.SegmentName;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns a writable WAL's files: every segment channel, the page writer, cuts,
 * the spare pipeline's hand-over, fdatasync, lock releases and purges run here, in the order
 * requests were queued. Callers only enqueue and wait, so an interrupt can end a caller's wait but
 * never reach a channel (Java closes a channel whose thread is interrupted inside I/O).
 *
 * <p>Group commit falls out of the queue, as in BookKeeper's journal and Ratis' log worker: the
 * writer takes everything queued, writes it with as few writes as the page writer needs, and makes
 * it durable with one fdatasync; whatever is queued meanwhile rides on the next one.
 *
 * <p>Cuts fall exactly where etcd's {@code Save} would cut under {@link SyncPolicy#ALWAYS}, whatever
 * was batched: etcd cuts when the file offset after a save's records, before its own flush, has
 * reached the segment size, and that offset is what ALWAYS had flushed by then. The writer keeps
 * that mark ({@link #flushMark}) instead of flushing after every save, so the files are byte for
 * byte etcd's under every policy and batch size.
 */
final class LogWriter {

    private static final System.Logger LOG = System.getLogger(Wal.class.getName());

    /** Requests taken in one batch at most: bounds the work between two publications of the status. */
    private static final int MAX_BATCH = 8192;

    private final Path directory;
    private final WalOptions options;
    private final Disk disk;
    private final SafeListener listener;
    private final Completer completer;
    private final Semaphore permits;
    private final LinkedBlockingQueue<LogRequest> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    // Everything below is the writer thread's alone, but for the volatile fields readers poll.
    private final List<OpenSegment> segments = new ArrayList<>();
    private final PageWriter pageWriter;
    private FrameEncoder encoder;
    private FilePipeline pipeline;
    private byte[] metadata;
    private HardState lastState = HardState.EMPTY;
    private long lastIndex;
    /** The offset ALWAYS would have flushed to by now: what decides cuts (see the class comment). */
    private long flushMark;
    private boolean unsynced;
    private long lastSyncNanos = System.nanoTime();
    private EntryIndex index;
    private boolean appending;
    private boolean stopped;
    private long saves;
    private long syncs;
    private long writtenIndex;
    private long durableIndex;
    private Instant lastSync;
    private volatile long flushedIndex;
    private volatile WalException poison;
    private volatile WalStatus status;

    LogWriter(Path directory, WalOptions options, Completer completer, Semaphore permits) {
        this.directory = directory;
        this.options = options;
        this.disk = options.disk();
        this.listener = new SafeListener(options.listener());
        this.completer = completer;
        this.permits = permits;
        this.pageWriter = new PageWriter(listener);
        this.status = new WalStatus(0, 0, 0, List.of(), Optional.empty(), Optional.empty(), false, 0, 0, 0);
        this.thread = new Thread(this::run, "jwal-writer " + directory.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    // ---------------------------------------------------------------------------------------------
    // The callers' side

    void submit(LogRequest request) {
        queue.add(request);
    }

    /** Runs {@code task} on the writer thread and waits for it, whatever interrupts come. */
    <T> T call(Callable<T> task) {
        LogRequest request = LogRequest.task(task);
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
        return flushedIndex;
    }

    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    /** Waits for the writer thread to end, after a close or abandon request. */
    void join() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
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
        segments.addAll(opened);
        publish();
    }

    /** Starts appending at {@code offset} of the tail, continuing {@code crc}: after create or replay. */
    void startAppending(long offset, RollingCrc crc, byte[] metadata, HardState state, long lastIndex,
            EntryIndex index, boolean withPipeline) {
        pageWriter.reset(tail().file(), offset);
        this.encoder = new FrameEncoder(pageWriter, crc, options.maxRecordSize());
        this.metadata = metadata;
        this.lastState = state;
        this.lastIndex = lastIndex;
        this.writtenIndex = lastIndex;
        this.durableIndex = lastIndex;
        this.flushedIndex = lastIndex;
        this.index = index;
        if (withPipeline) {
            startPipeline();
        }
        this.appending = true;
        publish();
    }

    /** Starts preparing spare segments in the WAL's directory, which must exist by now. */
    void startPipeline() {
        pipeline = new FilePipeline(disk, directory, options.segmentSize(), options.preallocate());
    }

    FrameEncoder encoder() {
        return encoder;
    }

    /** Flushes and fdatasyncs the tail: the end of creating a WAL. */
    void flushAndSyncTail() throws IOException {
        pageWriter.flush();
        syncFile(tail().file());
    }

    /** Closes the segments without syncing: a create or open that failed half way. */
    void closeSegmentsQuietly() {
        for (OpenSegment segment : segments) {
            try {
                segment.file().close();
            } catch (IOException ignored) {
                // nothing was appended through it
            }
        }
        segments.clear();
    }

    /** Stops the thread after a failed create or open: nothing is appending. */
    void stopUnused() {
        submit(LogRequest.of(LogRequest.Kind.ABANDON, 0));
        join();
    }

    // ---------------------------------------------------------------------------------------------
    // The loop

    private void run() {
        List<LogRequest> batch = new ArrayList<>();
        while (!stopped) {
            LogRequest first = next();
            if (first == null) {
                syncInTheBackground();
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            gather(batch);
            process(batch);
            batch.clear();
            publish();
        }
        LogRequest left;
        while ((left = queue.poll()) != null) {
            finish(left, new WalClosedException());
        }
    }

    /** The next request; null when an {@link SyncPolicy#INTERVAL} sync is due first. */
    private LogRequest next() {
        while (true) {
            try {
                if (options.syncPolicy() == SyncPolicy.INTERVAL && appending && unsynced && poison == null) {
                    long due = lastSyncNanos + options.syncInterval().toNanos() - System.nanoTime();
                    return due <= 0 ? null : queue.poll(due, TimeUnit.NANOSECONDS);
                }
                return queue.take();
            } catch (InterruptedException e) {
                // Nobody interrupts this private thread on purpose; it must not stop half way.
                Thread.interrupted();
            }
        }
    }

    /** Under {@link SyncPolicy#GROUP} with a group wait, lets more saves join before the sync. */
    private void gather(List<LogRequest> batch) {
        if (options.syncPolicy() != SyncPolicy.GROUP || options.groupWait().isZero()) {
            return;
        }
        long bytes = 0;
        boolean saving = false;
        for (LogRequest request : batch) {
            if (request.kind != LogRequest.Kind.SAVE) {
                // a sync, snapshot, close or anything else is waited for as it is
                return;
            }
            bytes += bytesOf(request);
            saving |= request.mustSync;
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
            LogRequest more;
            try {
                more = queue.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.interrupted();
                continue;
            }
            if (more == null) {
                return;
            }
            batch.add(more);
            bytes += bytesOf(more);
            if (more.kind != LogRequest.Kind.SAVE) {
                return;
            }
        }
    }

    private static long bytesOf(LogRequest request) {
        long bytes = 0;
        for (Entry entry : request.entries) {
            bytes += entry.dataLength() + 24;
        }
        return bytes;
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
                switch (request.kind) {
                    case SAVE -> {
                        if (refuse(request)) {
                            continue;
                        }
                        savesInBatch++;
                        boolean cut = write(request);
                        waiting.add(request);
                        flush |= request.mustSync;
                        sync |= request.mustSync && syncsSaves();
                        if (cut) {
                            finishAll(waiting, null);
                            flush = false;
                            sync = false;
                        }
                    }
                    case SNAPSHOT -> {
                        if (refuse(request)) {
                            continue;
                        }
                        writeSnapshot(request.snapshot);
                        waiting.add(request);
                        flush = true;
                        sync |= options.syncPolicy() != SyncPolicy.NONE;
                    }
                    case SYNC, FLUSH -> {
                        if (refuse(request)) {
                            continue;
                        }
                        waiting.add(request);
                        flush = true;
                        sync |= request.kind == LogRequest.Kind.SYNC;
                    }
                    case RELEASE -> {
                        releaseLockTo(request.number);
                        publish();
                        finish(request, null);
                    }
                    case PURGE -> purge(request);
                    case TASK -> runTask(request);
                    case CLOSE, ABANDON -> {
                        if (request.kind == LogRequest.Kind.CLOSE) {
                            endWrites(waiting, flush, sync || appending && poison == null);
                        } else {
                            finishAll(waiting, new WalClosedException());
                        }
                        stop(request.kind == LogRequest.Kind.CLOSE);
                        finish(request, null);
                        for (int j = i + 1; j < batch.size(); j++) {
                            finish(batch.get(j), new WalClosedException());
                        }
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                WalException error = poison(request.kind.name().toLowerCase(java.util.Locale.ROOT), e);
                finish(request, error);
                finishAll(waiting, error);
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
        try {
            if (appending && (flush || sync)) {
                pageWriter.flush();
                flushedIndex = lastIndex;
            }
            if (appending && sync) {
                syncTail();
            }
            finishAll(waiting, null);
        } catch (IOException | RuntimeException e) {
            finishAll(waiting, poison(sync ? "syncing" : "writing", e));
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
        boolean first = error == null ? request.succeed(null) : request.fail(error);
        if (!first) {
            return;
        }
        if (request.permits > 0) {
            permits.release(request.permits);
        }
        if (request.future != null) {
            completer.deliver(request);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /** Writes one save; returns whether it made the segment full and was followed by a cut. */
    private boolean write(LogRequest request) throws IOException {
        OpenSegment tail = tail();
        for (Entry entry : request.entries) {
            int seed = encoder.crcValue();
            long offset = pageWriter.logicalOffset();
            encoder.encodeEntry(entry);
            index.add(entry.index(), entry.term(), tail.name().sequence(), tail.file().path(), offset,
                    (int) (pageWriter.logicalOffset() - offset), seed);
            lastIndex = entry.index();
        }
        if (!request.state.isEmpty()) {
            encoder.encodeState(request.state);
            lastState = request.state;
        }
        writtenIndex = lastIndex;
        unsynced = true;
        saves++;
        listener.saved(request.entries.size());
        boolean full = Math.max(pageWriter.flushedOffset(), flushMark) >= options.segmentSize();
        if (request.mustSync) {
            flushMark = pageWriter.logicalOffset();
        }
        if (full) {
            cut();
        }
        return full;
    }

    private void writeSnapshot(WalSnapshot snapshot) throws IOException {
        encoder.encodeSnapshot(RaftCodec.encodeSnapshot(snapshot));
        if (Long.compareUnsigned(lastIndex, snapshot.index()) < 0) {
            lastIndex = snapshot.index();
        }
        // SaveSnapshot flushes (and syncs) at once in etcd, which moves the offset cuts go by.
        flushMark = pageWriter.logicalOffset();
        unsynced = true;
    }

    private boolean syncsSaves() {
        return options.syncPolicy() == SyncPolicy.ALWAYS || options.syncPolicy() == SyncPolicy.GROUP;
    }

    private void syncTail() throws IOException {
        syncFile(tail().file());
        unsynced = false;
        durableIndex = writtenIndex;
    }

    /** The {@link SyncPolicy#INTERVAL} sync when something was written since the last one; writer only. */
    void syncIfWritten() {
        if (appending && unsynced && poison == null) {
            syncInTheBackground();
        }
    }

    /** The {@link SyncPolicy#INTERVAL} sync: what was written since the last one. */
    private void syncInTheBackground() {
        try {
            pageWriter.flush();
            flushedIndex = lastIndex;
            syncTail();
        } catch (IOException | RuntimeException e) {
            poison("syncing in the background", e);
        }
        publish();
    }

    private void syncFile(DiskFile file) throws IOException {
        long begin = System.nanoTime();
        file.sync();
        long end = System.nanoTime();
        long took = end - begin;
        syncs++;
        lastSyncNanos = end;
        lastSync = Instant.now();
        listener.synced(took);
        if (took > options.slowSyncThreshold().toNanos()) {
            listener.slowSync(took);
            LOG.log(Level.WARNING, "slow fdatasync of {0}: took {1} ms, expected less than {2} ms", file.path(),
                    String.valueOf(TimeUnit.NANOSECONDS.toMillis(took)),
                    String.valueOf(options.slowSyncThreshold().toMillis()));
        }
    }

    /**
     * Starts a new segment, as etcd's {@code cut}: the tail is cut to its records and synced; a
     * spare from the pipeline gets a crc record carrying the checksum on, the metadata and the last
     * hard state, is synced, and is renamed to {@code <seq+1>-<lastIndex+1>.wal}; the directory is
     * synced so that the rename survives a crash. Everything written before is durable after it.
     */
    private void cut() throws IOException {
        OpenSegment tail = tail();
        pageWriter.flush();
        tail.file().truncate(pageWriter.flushedOffset());
        syncFile(tail.file());

        DiskFile spare = pipeline.take();
        SegmentName name = new SegmentName(tail.name().sequence() + 1, lastIndex + 1);
        pageWriter.reset(spare, 0);
        encoder.encodeCrc();
        encoder.encodeMetadata(metadata);
        if (!lastState.isEmpty()) {
            encoder.encodeState(lastState);
        }
        pageWriter.flush();
        syncFile(spare);
        Path path = directory.resolve(name.fileName());
        disk.rename(spare.path(), path);
        segments.add(new OpenSegment(name, spare));
        long begin = System.nanoTime();
        disk.syncDirectory(directory);
        listener.synced(System.nanoTime() - begin);
        unsynced = false;
        flushMark = 0;
        flushedIndex = lastIndex;
        durableIndex = writtenIndex;
        listener.segmentCut(path);
        LOG.log(Level.DEBUG, "cut WAL segment {0}", path);
    }

    // ---------------------------------------------------------------------------------------------
    // Locks, purges, tasks, stopping

    /**
     * Releases the locks of segments that hold only entries below {@code index}, as etcd's
     * {@code ReleaseLockTo}: the segment just before the first one whose first index is at or
     * above {@code index} is kept, because it may hold entries up to there.
     */
    private void releaseLockTo(long index) {
        if (segments.isEmpty()) {
            return;
        }
        int keepFrom = segments.size() - 1;
        for (int i = 0; i < segments.size(); i++) {
            if (Long.compareUnsigned(segments.get(i).name().firstIndex(), index) >= 0) {
                keepFrom = i - 1;
                break;
            }
        }
        if (keepFrom <= 0) {
            return;
        }
        List<OpenSegment> released = segments.subList(0, keepFrom);
        for (OpenSegment segment : released) {
            try {
                segment.file().close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "failed to release segment " + segment.file().path(), e);
            }
        }
        released.clear();
    }

    /**
     * Deletes the oldest segments until at most {@code keep} remain, stopping at the first one
     * this WAL still holds, then syncs the directory. A failure fails the purge, not the WAL.
     */
    private void purge(LogRequest request) {
        try {
            List<Path> deleted = purgeSegments((int) request.number);
            publish();
            request.succeed(deleted);
        } catch (RuntimeException e) {
            publish();
            request.fail(e);
        }
    }

    private List<Path> purgeSegments(int keep) {
        List<SegmentName> all = SegmentDirectory.list(disk, directory);
        Set<Path> held = new HashSet<>();
        for (OpenSegment segment : segments) {
            held.add(segment.file().path());
        }
        List<Path> deleted = new ArrayList<>();
        long oldestKept = 0;
        for (int i = 0; i < all.size(); i++) {
            Path path = directory.resolve(all.get(i).fileName());
            oldestKept = all.get(i).sequence();
            if (all.size() - i <= keep || held.contains(path)) {
                break;
            }
            try {
                disk.delete(path);
            } catch (IOException e) {
                throw new WalIoException("purging", path, e);
            }
            deleted.add(path);
        }
        if (!deleted.isEmpty()) {
            index.dropSegmentsBefore(oldestKept);
            try {
                disk.syncDirectory(directory);
            } catch (IOException e) {
                throw new WalIoException("syncing after purging", directory, e);
            }
            LOG.log(Level.INFO, "purged {0} WAL segment(s) up to {1}", deleted.size(),
                    deleted.get(deleted.size() - 1).getFileName());
        }
        return List.copyOf(deleted);
    }

    private void runTask(LogRequest request) {
        try {
            Object result = request.task.call();
            publish();
            request.succeed(result);
        } catch (Exception e) {
            request.fail(e);
        }
    }

    /** Ends the WAL: the pipeline's spare is removed (or, abandoning, left) and every lock released. */
    private void stop(boolean cleanly) {
        stopped = true;
        appending = false;
        if (pipeline != null) {
            if (cleanly) {
                try {
                    pipeline.close();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "failed to remove the spare segment of " + directory, e);
                }
            } else {
                pipeline.abandon();
            }
        }
        closeSegmentsQuietly();
        if (index != null) {
            index.close();
        }
    }

    private OpenSegment tail() {
        return segments.get(segments.size() - 1);
    }

    private WalException poison(String action, Throwable failure) {
        WalException error;
        if (failure instanceof WalException w) {
            error = w;
        } else if (failure instanceof IOException io) {
            error = new WalIoException(action, segments.isEmpty() ? directory : tail().file().path(), io);
        } else {
            error = new WalException("wal: " + action + " " + directory + " failed: " + failure, failure);
        }
        if (poison == null) {
            poison = error;
            listener.failed(error);
            LOG.log(Level.ERROR, "WAL " + directory + " is poisoned: no further appends", failure);
        }
        return error;
    }

    private void publish() {
        List<Path> paths = new ArrayList<>(segments.size());
        for (OpenSegment segment : segments) {
            paths.add(segment.file().path());
        }
        status = new WalStatus(writtenIndex, writtenIndex, durableIndex, paths, Optional.ofNullable(lastSync),
                Optional.ofNullable(poison), stopped, listener.bytesWritten(), saves, syncs);
    }
}

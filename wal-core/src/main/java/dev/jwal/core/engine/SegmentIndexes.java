package dev.jwal.core.engine;

import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where the {@link SegmentSamples} of sealed segments come from: a bounded cache in memory, then
 * the segment's index file, then a scan of the segment itself. Index files are a cache: kept in
 * {@value #DIRECTORY}, a subdirectory etcd's reader skips (it reads only {@code *.wal} names);
 * written off the save path, on this class's own thread, to a temporary name and renamed; never
 * fsynced, because a file lost or torn by a crash fails its checksum and is made again from the
 * segment. Deleting them is always safe.
 *
 * <p>The heap they hold is bounded by {@link #CACHE_BYTES} whatever the log's length: a segment of
 * 64 MB of small records has about 16,000 samples, 320 KB.
 */
final class SegmentIndexes implements AutoCloseable {

    /** The subdirectory of the WAL directory that holds the index files. */
    static final String DIRECTORY = dev.jwal.core.WalDirectory.INDEX_DIRECTORY;

    static final String SUFFIX = ".idx";

    /** The most bytes of samples kept in memory at once. */
    static final long CACHE_BYTES = 4L << 20;

    private static final System.Logger LOG = System.getLogger(SegmentIndexes.class.getName());

    private final Disk disk;
    private final long readLimit;
    private final Map<Path, SegmentSamples> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;
    private final ExecutorService writer;

    private final CheckpointKeeper checkpoints;
    private final ExecutorService scrubber;

    SegmentIndexes(Disk disk, Disk scrubDisk, Path walDirectory, long readLimit) {
        this.disk = disk;

        this.readLimit = readLimit;
        // One thread at most, and none while idle: a WAL that never seals a segment never has one.
        this.writer = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "jwal-index " + walDirectory.getFileName());
            thread.setDaemon(true);
            return thread;
        });
        this.scrubber = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "jwal-scrub " + walDirectory.getFileName());
            thread.setDaemon(true);
            return thread;
        });
        this.checkpoints = new CheckpointKeeper(disk, scrubDisk, walDirectory, readLimit, task -> {
            try {
                scrubber.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closed: the round resumes at the next open
            }
        });
    }

    /** The indexes of the WAL in {@code walDirectory}; its scrub reads at {@link dev.jwal.core.WalOptions#scrubReadRate()}. */
    static SegmentIndexes of(Path walDirectory, dev.jwal.core.WalOptions options) {
        Disk scrubDisk = options.scrubReadRate() == 0 ? options.disk() : new PacedDisk(options.disk(),
                options.scrubReadRate());
        return new SegmentIndexes(options.disk(), scrubDisk, walDirectory, options.readLimit());
    }

    static Path fileOf(Path segment) {
        return segment.resolveSibling(DIRECTORY).resolve(segment.getFileName() + SUFFIX);
    }

    /**
     * A segment was sealed with these samples, made from the positions the writer or the replay
     * recorded: kept in memory and written to the segment's index file, unless an intact one of
     * the same samples is there already.
     */
    void sealed(Path segment, SegmentSamples samples, boolean catchUp) {
        remember(segment, samples);
        if (catchUp) {
            run(checkpoints::catchUp);
        }
        run(() -> {
            long size;
            try (DiskFile file = disk.openForRead(segment)) {
                size = file.size();
            } catch (IOException e) {
                // purged or moved meanwhile: its reads will scan it, if any still come
                return;
            }
            writeUnlessCurrent(segment, size, samples);
        });
    }

    /**
     * The samples of {@code segment}, which {@code file} reads: from memory, from its index file,
     * or, when that is missing or not intact, by scanning the segment (the file is then written
     * again). Called by readers, without the entry index's lock.
     */
    SegmentSamples samplesOf(Path segment, DiskFile file) throws IOException {
        SegmentSamples cached = cached(segment);
        if (cached != null) {
            return cached;
        }
        long size = file.size();
        SegmentSamples loaded = readFile(segment, size);
        if (loaded == null) {
            loaded = scan(segment, file);
            SegmentSamples rebuilt = loaded;
            run(() -> write(segment, size, rebuilt));
        }
        remember(segment, loaded);
        return loaded;
    }

    /**
     * Forgets samples a read found wrong for the segment (stale: made from other bytes than the
     * file's now) and deletes its index file, so that the next read scans the segment.
     */
    void distrust(Path segment) {
        synchronized (this) {
            SegmentSamples dropped = cache.remove(segment);
            if (dropped != null) {
                cachedBytes -= dropped.heapBytes();
            }
        }
        deleteQuietly(fileOf(segment));
    }

    /** A segment was purged: its samples and index file go too, off the caller's path. */
    void purged(List<Path> segments) {
        synchronized (this) {
            for (Path segment : segments) {
                SegmentSamples dropped = cache.remove(segment);
                if (dropped != null) {
                    cachedBytes -= dropped.heapBytes();
                }
            }
        }
        run(() -> segments.forEach(segment -> deleteQuietly(fileOf(segment))));
    }

    /**
     * The WAL has opened, with {@code cover} from the checkpoint (null when none vouched for its
     * segments): the sealed segments are checked and the checkpoint kept, on this class's thread.
     */
    void opened(CheckpointFile.Cover cover, int sealedAtOpen) {
        checkpoints.expect(sealedAtOpen);
        run(() -> checkpoints.opened(cover));
    }

    CheckpointKeeper.ScrubState scrub() {
        return checkpoints.scrub();
    }

    /** A cut sealed a segment the writer wrote whole: the checkpoint takes its summary, unread. */
    void written(Checkpoint.Written written) {
        run(() -> checkpoints.written(written));
    }

    /** Runs {@code task} on this class's thread, unless the WAL has closed. */
    private void run(Runnable task) {
        try {
            writer.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed: index files and the checkpoint are caches, made again at the next open
        }
    }

    /** Empties the cache: the next read of each segment loads its index file. */
    synchronized void forgetCached() {
        cache.clear();
        cachedBytes = 0;
    }

    /** Bytes of samples held now; never more than {@link #CACHE_BYTES} but for one segment's. */
    synchronized long cachedBytes() {
        return cachedBytes;
    }


    /**
     * Waits for what the index thread and the scrub's thread were handed so far (the scrub then
     * has taken at least one more step); for tests.
     */
    void awaitWrites() {
        for (ExecutorService thread : List.of(writer, scrubber)) {
            try {
                thread.submit(() -> null).get();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.RejectedExecutionException e) {
                // nothing more to wait for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        checkpoints.closing();
        scrubber.shutdown();
        writer.shutdown();
        boolean interrupted = false;
        for (ExecutorService thread : List.of(scrubber, writer)) {
            while (true) {
                try {
                    if (thread.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            cache.clear();
            cachedBytes = 0;
        }
    }

    // ---------------------------------------------------------------------------------------------

    private synchronized SegmentSamples cached(Path segment) {
        return cache.get(segment);
    }

    private synchronized void remember(Path segment, SegmentSamples samples) {
        SegmentSamples old = cache.put(segment, samples);
        if (old != null) {
            cachedBytes -= old.heapBytes();
        }
        cachedBytes += samples.heapBytes();
        Iterator<Map.Entry<Path, SegmentSamples>> eldest = cache.entrySet().iterator();
        while (cachedBytes > CACHE_BYTES && cache.size() > 1 && eldest.hasNext()) {
            Map.Entry<Path, SegmentSamples> e = eldest.next();
            if (e.getKey().equals(segment)) {
                continue;
            }
            cachedBytes -= e.getValue().heapBytes();
            eldest.remove();
        }
    }

    private SegmentSamples readFile(Path segment, long segmentSize) {
        Path file = fileOf(segment);
        if (!disk.exists(file)) {
            return null;
        }
        try (DiskFile in = disk.openForRead(file)) {
            long size = in.size();
            if (size > Integer.MAX_VALUE - 8) {
                return null;
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            while (bytes.hasRemaining()) {
                if (in.read(bytes, bytes.position()) < 0) {
                    return null;
                }
            }
            SegmentSamples samples = SegmentSamples.deserialise(bytes.array(), segmentSize);
            if (samples == null) {
                LOG.log(System.Logger.Level.INFO, "index file {0} is torn, damaged or stale: rebuilt from its segment",
                        file);
            }
            return samples;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.INFO, "index file {0} could not be read ({1}): rebuilt from its segment",
                    file, e.toString());
            return null;
        }
    }

    /** Every entry frame of the segment, sampled as the writer samples them; the CRC chain checked. */
    private SegmentSamples scan(Path segment, DiskFile file) {
        FrameDecoder decoder = new FrameDecoder(List.of(new FrameDecoder.Source(segment, file)), readLimit, false);
        RecordView record = new RecordView();
        ProtoReader reader = new ProtoReader();
        SegmentSamples.Builder samples = new SegmentSamples.Builder();
        while (decoder.next(record)) {
            if (record.type() == RecordType.ENTRY) {
                long index = RaftCodec.decodeEntry(record.readData(reader)).index();
                samples.offer(index, decoder.recordOffset(), decoder.recordCrcSeed());
            }
        }
        return samples.build();
    }

    private void writeUnlessCurrent(Path segment, long segmentSize, SegmentSamples samples) {
        Path file = fileOf(segment);
        try {
            if (disk.exists(file)) {
                try (DiskFile in = disk.openForRead(file)) {
                    ByteBuffer wanted = samples.serialise(segmentSize);
                    if (in.size() == wanted.remaining()) {
                        ByteBuffer there = ByteBuffer.allocate(wanted.remaining());
                        while (there.hasRemaining() && in.read(there, there.position()) >= 0) {
                            // reads until full or the end
                        }
                        if (there.flip().equals(wanted)) {
                            return;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // written again below
        }
        write(segment, segmentSize, samples);
    }

    private void write(Path segment, long segmentSize, SegmentSamples samples) {
        Path file = fileOf(segment);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            disk.createDirectories(file.getParent());
            ByteBuffer bytes = samples.serialise(segmentSize);
            try (DiskFile out = disk.openForWrite(temporary, true)) {
                out.truncate(0);
                out.write(bytes, 0);
            }
            // No fsync, by choice: a file a crash tears fails its checksum and is made again. Nor
            // an atomic replacement: a crash between the two steps leaves no file, made again too.
            if (disk.exists(file)) {
                disk.delete(file);
            }
            disk.rename(temporary, file);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "index file {0} not written ({1}); reads of its segment scan it instead",
                    file, e.toString());
            deleteQuietly(temporary);
        }
    }

    private void deleteQuietly(Path file) {
        try {
            if (disk.exists(file)) {
                disk.delete(file);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "index file {0} not deleted: {1}", file, e.toString());
        }
    }
}

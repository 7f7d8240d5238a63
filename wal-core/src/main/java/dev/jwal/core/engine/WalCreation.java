package dev.jwal.core.engine;

import dev.jwal.core.HardState;
import dev.jwal.core.WalException;
import dev.jwal.core.WalExistsException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.WalLockedException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RollingCrc;
import dev.jwal.core.engine.segment.FrameEncoder;
import dev.jwal.core.engine.segment.Preallocation;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creating a WAL and opening one: directory checks, the first segment, locks. For a writable WAL
 * every step that touches a segment's channel runs on its {@link LogWriter}'s thread, so that an
 * interrupted caller cannot close a channel the WAL goes on to use.
 */
public final class WalCreation {

    private static final System.Logger LOG = System.getLogger(WalCreation.class.getName());

    private WalCreation() {
    }

    public static OpenWal create(Path directory, byte[] metadata, WalOptions options) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        Path target = directory.toAbsolutePath().normalize();
        if (SegmentDirectory.exists(options.disk(), target)) {
            throw new WalExistsException(target, "the directory already holds a WAL");
        }
        byte[] copy = metadata == null ? null : metadata.clone();
        FrameEncoder.checkFits(copy == null ? 0 : copy.length, copy != null, "the metadata", options.maxRecordSize());
        OpenWal.Machinery machinery = new OpenWal.Machinery(target, options);
        EntryIndex entries = new EntryIndex(0, 0, SegmentIndexes.of(target, options));
        try {
            machinery.writer().call(() -> {
                createFirstSegment(target, copy, options, machinery.writer(), entries);
                return null;
            });
        } catch (RuntimeException e) {
            machinery.writer().stopUnused();
            throw e;
        }
        LOG.log(Level.INFO, "created WAL {0}", target);
        return OpenWal.appending(target, options, machinery, entries);
    }

    /**
     * The first segment is built in {@code <directory>.tmp} and renamed into place, so a crash
     * leaves either no WAL or a complete one.
     */
    private static void createFirstSegment(Path target, byte[] metadata, WalOptions options, LogWriter writer,
            EntryIndex entries) {
        Disk disk = options.disk();
        Path parent = target.getParent();
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        SegmentName first = new SegmentName(0, 0);
        DiskFile file = null;
        boolean renamed = false;
        try {
            ensureEmptyIfPresent(disk, target);
            disk.deleteRecursively(temporary);
            createDirectoriesDurably(disk, parent);
            disk.createDirectories(temporary);
            Path firstPath = temporary.resolve(first.fileName());
            boolean reserved = SegmentWriter.preallocation(options) == Preallocation.RESERVE
                    && disk.reserve(firstPath, options.segmentSize());
            file = disk.openForWrite(firstPath, true);
            if (!file.tryLock()) {
                throw new WalLockedException(file.path());
            }
            if (!reserved) {
                file.extend(options.segmentSize(), options.preallocate());
            }
            writer.adopt(List.of(new OpenSegment(first, file)));
            file = null;
            // the header written below holds the first snapshot marker, index 0
            writer.startAppending(0, new RollingCrc(), metadata, HardState.EMPTY, 0, entries, false,
                    List.of(WalSnapshot.ZERO));
            FrameEncoder encoder = writer.encoder();
            encoder.encodeCrc();
            encoder.encodeMetadata(metadata);
            encoder.encodeSnapshot(RaftCodec.encodeSnapshot(WalSnapshot.ZERO));
            writer.flushAndSyncTail();
            disk.syncDirectory(temporary);
            if (disk.exists(target)) {
                disk.delete(target);
            }
            disk.rename(temporary, target);
            renamed = true;
            // the segment's path, published before the rename, named the temporary directory
            writer.segmentsMoved();
            disk.syncDirectory(parent);
            writer.startPipeline();
        } catch (IOException | RuntimeException e) {
            SegmentFiles.closeQuietly(file, e);
            writer.closeSegmentsQuietly();
            try {
                disk.deleteRecursively(temporary);
                if (renamed) {
                    // The WAL is in place but its rename may not be durable: move it aside, as
                    // etcd does, so that a retry starts clean and nothing half-made is opened.
                    disk.rename(target, target.resolveSibling(target.getFileName() + ".broken."
                            + System.currentTimeMillis()));
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof WalException w) {
                throw w;
            }
            if (e instanceof IOException io) {
                throw new WalIoException("creating the WAL", target, io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Creates the missing directories of a path and syncs the parent of each, so that a WAL
     * created under a new directory does not vanish with that directory's entry after a crash.
     */
    private static void createDirectoriesDurably(Disk disk, Path directory) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = directory; p != null && !disk.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        if (missing.isEmpty()) {
            return;
        }
        disk.createDirectories(directory);
        for (Path created : missing) {
            if (created.getParent() != null) {
                disk.syncDirectory(created.getParent());
            }
        }
    }

    private static void ensureEmptyIfPresent(Disk disk, Path target) throws IOException {
        if (!disk.exists(target)) {
            return;
        }
        if (!disk.isDirectory(target)) {
            throw new WalExistsException(target, "the path exists and is not a directory");
        }
        List<String> names = disk.list(target);
        if (!names.isEmpty()) {
            // etcd removes the directory whatever it holds; files that are not a WAL's are kept
            // here, so that a misconfigured path never costs someone their data.
            throw new WalExistsException(target, "the directory is not empty and holds no WAL: " + names);
        }
    }

    /**
     * A process crash leaves written but unsynced bytes in the page cache, where a reader sees
     * them; recovery would hand them to the application, which may act on them (reply, replicate),
     * and a power loss afterwards could take them away. So a writable open fdatasyncs every
     * segment it will read, and the directory (for names not yet durable), before anything is read.
     * After a clean close there is nothing dirty and each fdatasync returns at once.
     */
    private static void makeDurableBeforeReading(WalOptions options, Path dir, List<OpenSegment> segments) {
        for (OpenSegment segment : segments) {
            try {
                segment.file().sync();
            } catch (IOException e) {
                throw new WalIoException("syncing before reading", segment.file().path(), e);
            }
        }
        try {
            options.disk().syncDirectory(dir);
        } catch (IOException e) {
            throw new WalIoException("syncing the directory before reading", dir, e);
        }
    }

    /** Opens at {@code snapshot}: locked by the writer's thread when writable, else plainly. */
    public static OpenWal open(Path directory, WalSnapshot snapshot, WalOptions options, boolean writable) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(options, "options");
        Path dir = directory.toAbsolutePath().normalize();
        List<SegmentName> names = SegmentDirectory.selectFrom(options.disk(), dir, snapshot.index());
        if (!writable) {
            return OpenWal.readOnly(dir, options, snapshot, names, SegmentFiles.open(options.disk(), dir, names, false));
        }
        OpenWal.Machinery machinery = new OpenWal.Machinery(dir, options);
        List<OpenSegment> opened;
        try {
            opened = machinery.writer().call(() -> {
                List<OpenSegment> locked = SegmentFiles.open(options.disk(), dir, names, true);
                machinery.writer().adopt(locked);
                makeDurableBeforeReading(options, dir, locked);
                return locked;
            });
        } catch (RuntimeException e) {
            machinery.writer().stopUnused();
            throw e;
        }
        return OpenWal.unreadWritable(dir, options, snapshot, names, opened, machinery);
    }
}

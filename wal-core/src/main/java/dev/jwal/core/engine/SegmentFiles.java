package dev.jwal.core.engine;

import dev.jwal.core.MetadataConflictException;
import dev.jwal.core.RecordDecodeException;
import dev.jwal.core.SnapshotMismatchException;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.WalLockedException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.engine.codec.ProtoFormatException;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.segment.SegmentMetadata;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opening, closing and reading a run of segment files: what create, open, verify and replay share. */
final class SegmentFiles {

    private static final System.Logger LOG = System.getLogger(SegmentFiles.class.getName());

    private SegmentFiles() {
    }

    /** Sees one record of a scan; the decoder says where it is. */
    @FunctionalInterface
    interface RecordVisitor {
        void visit(RecordView record, FrameDecoder decoder);
    }

    /** Opens the segments, locking each when {@code lock}; on failure closes what it opened. */
    static List<OpenSegment> open(Disk disk, Path dir, List<SegmentName> names, boolean lock) {
        List<OpenSegment> opened = new ArrayList<>();
        try {
            for (SegmentName name : names) {
                Path path = dir.resolve(name.fileName());
                DiskFile file = lock ? disk.openForWrite(path, false) : disk.openForRead(path);
                opened.add(new OpenSegment(name, file));
                if (lock && !file.tryLock()) {
                    throw new WalLockedException(path);
                }
            }
            return opened;
        } catch (IOException | RuntimeException e) {
            for (OpenSegment segment : opened) {
                closeQuietly(segment.file(), e);
            }
            if (e instanceof IOException io) {
                throw new WalIoException("opening a segment of the WAL in", dir, io);
            }
            throw (RuntimeException) e;
        }
    }

    static void closeAll(List<OpenSegment> opened) {
        for (OpenSegment segment : opened) {
            try {
                segment.file().close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "failed to close segment " + segment.file().path(), e);
            }
        }
    }

    static void closeQuietly(DiskFile file, Throwable primary) {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    static FrameDecoder decoderOver(List<OpenSegment> opened, WalOptions options) {
        List<FrameDecoder.Source> sources = new ArrayList<>(opened.size());
        for (OpenSegment segment : opened) {
            sources.add(new FrameDecoder.Source(segment.file().path(), segment.file()));
        }
        return new FrameDecoder(sources, options.readLimit());
    }

    /**
     * Reads segments without locking them, as etcd's read-only passes do: every record goes to the
     * visitor, a torn tail ends the log, a message that does not decode is corruption at its frame.
     */
    static void scanReadOnly(Path dir, List<SegmentName> names, WalOptions options, RecordVisitor visitor) {
        scanReadOnly(dir, names, options, 0, visitor);
    }

    /** {@link #scanReadOnly}, continuing the checksum {@code seedCrc} (0: from the first segment's own). */
    static void scanReadOnly(Path dir, List<SegmentName> names, WalOptions options, int seedCrc,
            RecordVisitor visitor) {
        List<OpenSegment> opened = open(options.disk(), dir, names, false);
        try {
            FrameDecoder decoder = decoderOver(opened, options);
            if (seedCrc != 0) {
                // a startup's first pass, from a checkpoint: its open reads the tail again, and
                // looks past its end then
                decoder.crc().seed(seedCrc);
                decoder.lookPastTheEnd(false);
            }
            RecordView record = new RecordView();
            try {
                while (decoder.next(record)) {
                    visitDecoding(visitor, record, decoder);
                }
            } catch (UnexpectedEofException tornTail) {
                // Read-only: a torn tail ends the log, as in etcd.
            }
        } finally {
            closeAll(opened);
        }
    }

    static void visitDecoding(RecordVisitor visitor, RecordView record, FrameDecoder decoder) {
        try {
            visitor.visit(record, decoder);
        } catch (ProtoFormatException e) {
            throw new RecordDecodeException(e.getMessage(), decoder.currentPath(), decoder.recordOffset());
        }
    }

    /**
     * Whether a snapshot marker read from the log is the one the WAL was opened at; a marker at
     * the same index with another term means the caller's snapshot is not this log's.
     */
    static boolean isTheSnapshot(WalSnapshot wanted, WalSnapshot marker) {
        if (marker.index() != wanted.index()) {
            return false;
        }
        if (marker.term() != wanted.term()) {
            throw new SnapshotMismatchException(wanted, marker.term());
        }
        return true;
    }

    /** Fails when a segment's metadata differs from an earlier one's ({@link SegmentMetadata}). */
    static void checkMetadata(byte[] seen, byte[] next, FrameDecoder decoder) {
        if (SegmentMetadata.conflicts(seen, next)) {
            throw new MetadataConflictException(decoder.currentPath(), decoder.recordOffset());
        }
    }
}

package dev.jwal.core.engine;

import dev.jwal.core.engine.codec.Frames;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The checkpoint's files, {@code jwal-index/checkpoint-a} and {@code -b}, written in turn: read,
 * written and matched against the directory. Never fsynced: like the index files beside them, a
 * file a crash tore fails its checksum, and the other, older one or a read of the segments serves.
 */
final class CheckpointFile {

    /** The two files written in turn, so that one intact checkpoint is always there and nothing is deleted. */
    static final List<String> NAMES = List.of("checkpoint-a", "checkpoint-b");

    private static final System.Logger LOG = System.getLogger(CheckpointFile.class.getName());

    /** The checkpoint matched to the directory: it vouches for the first {@code count} segments. */
    record Cover(Checkpoint checkpoint, int count) {
    }

    private CheckpointFile() {
    }

    static Path of(Path walDirectory, int slot) {
        return walDirectory.resolve(SegmentIndexes.DIRECTORY).resolve(NAMES.get(slot));
    }

    /** The newest intact checkpoint in the directory, or null when there is none. */
    static Checkpoint load(Disk disk, Path walDirectory) {
        Checkpoint newest = null;
        for (int slot = 0; slot < NAMES.size(); slot++) {
            Checkpoint read = read(disk, of(walDirectory, slot));
            if (read != null && (newest == null || read.generation() > newest.generation())) {
                newest = read;
            }
        }
        return newest;
    }

    private static Checkpoint read(Disk disk, Path file) {
        if (!disk.exists(file)) {
            return null;
        }
        try (DiskFile in = disk.openForRead(file)) {
            long size = in.size();
            if (size > 256L << 20) {
                return null;
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            while (bytes.hasRemaining()) {
                if (in.read(bytes, bytes.position()) < 0) {
                    return null;
                }
            }
            Checkpoint checkpoint = Checkpoint.deserialise(bytes.array());
            if (checkpoint == null) {
                LOG.log(System.Logger.Level.INFO, "checkpoint {0} is torn or damaged: not used", file);
            }
            return checkpoint;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Writes the checkpoint over the older of the two files, so that the newer stays whole if this
     * write is torn. Not fsynced, by choice: a torn or lost one fails its checksum and the other
     * (or a read of the segments) is used. A failure is logged, and the next open reads the segments.
     */
    static void save(Disk disk, Path walDirectory, Checkpoint checkpoint) {
        Path file = of(walDirectory, (int) (checkpoint.generation() % NAMES.size()));
        try {
            disk.createDirectories(file.getParent());
            byte[] bytes = checkpoint.serialise();
            try (DiskFile out = disk.openForWrite(file, true)) {
                out.truncate(0);
                out.write(ByteBuffer.wrap(bytes), 0);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "checkpoint {0} not written ({1}); the next open reads the segments",
                    file, e.toString());
        }
    }

    /**
     * How many of the directory's segments ({@code names}, all of them, oldest first) the
     * checkpoint vouches for, from the oldest: each with the name and size it recorded, never the
     * last segment, and the segment after them continuing the checkpoint's final checksum. Null
     * when it vouches for none: missing, stale, or not this directory's.
     */
    static Cover cover(Checkpoint checkpoint, List<SegmentName> names, Disk disk, Path walDirectory, long readLimit) {
        if (checkpoint == null || names.size() < 2) {
            return null;
        }
        Checkpoint kept = checkpoint.from(names.get(0).sequence());
        List<Checkpoint.Segment> segments = kept.segments();
        if (segments.isEmpty() || segments.size() >= names.size()) {
            return null;
        }
        try {
            for (int i = 0; i < segments.size(); i++) {
                Checkpoint.Segment recorded = segments.get(i);
                SegmentName name = names.get(i);
                if (recorded.sequence() != name.sequence() || recorded.nameIndex() != name.firstIndex()) {
                    return null;
                }
                try (DiskFile file = disk.openForRead(walDirectory.resolve(name.fileName()))) {
                    if (file.size() != recorded.size()) {
                        return null;
                    }
                }
            }
            if (!continues(disk, walDirectory.resolve(names.get(segments.size()).fileName()), kept.last().finalCrc(),
                    readLimit)) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            // what a full read makes of it is the verdict
            return null;
        }
        return new Cover(kept, segments.size());
    }

    /**
     * Whether {@code segment} starts with a crc record that continues {@code crc}: its first frame
     * alone is read, a few dozen bytes.
     */
    static boolean continues(Disk disk, Path segment, int crc, long readLimit) {
        try (DiskFile file = disk.openForRead(segment)) {
            ByteBuffer field = ByteBuffer.allocate(Frames.LENGTH_FIELD_BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            if (!readFully(file, field, 0)) {
                return false;
            }
            long lengthField = field.getLong(0);
            long recordBytes = Frames.recordBytes(lengthField);
            if (recordBytes <= 0 || recordBytes > 1024) {
                return false;
            }
            ByteBuffer record = ByteBuffer.allocate((int) recordBytes);
            if (!readFully(file, record, Frames.LENGTH_FIELD_BYTES)) {
                return false;
            }
            RecordView view = new RecordView();
            view.parse(new ProtoReader(), record.array(), 0, (int) recordBytes);
            return view.type() == RecordType.CRC && view.crc() == crc;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean readFully(DiskFile file, ByteBuffer target, long position) throws IOException {
        while (target.hasRemaining()) {
            if (file.read(target, position + target.position()) < 0) {
                return false;
            }
        }
        return true;
    }
}

package dev.jwal.core.engine.segment;

import dev.jwal.core.FileSequenceGapException;
import dev.jwal.core.NoWalFilesException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.io.Disk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The segments in a WAL directory, and the choice of where to start reading. */
public final class SegmentDirectory {

    private SegmentDirectory() {
    }

    /**
     * The segments, in name order (etcd sorts names as strings). Other files, such as the
     * pipeline's {@code *.tmp} spares and repair's {@code *.broken} copies, are left out.
     */
    public static List<SegmentName> list(Disk disk, Path directory) {
        List<String> names;
        try {
            names = disk.list(directory);
        } catch (IOException e) {
            throw new WalIoException("listing the WAL directory", directory, e);
        }
        List<SegmentName> segments = new ArrayList<>();
        for (String name : names) {
            SegmentName.parse(name).ifPresent(segments::add);
        }
        return segments;
    }

    /** True when the directory holds at least one segment (etcd's {@code Exist}). */
    public static boolean exists(Disk disk, Path directory) {
        if (!disk.isDirectory(directory)) {
            return false;
        }
        return !list(disk, directory).isEmpty();
    }

    /**
     * Every segment, oldest first, checked to have consecutive sequence numbers.
     *
     * @throws NoWalFilesException when there is none
     * @throws FileSequenceGapException when one is missing or duplicated
     */
    public static List<SegmentName> listInSequence(Disk disk, Path directory) {
        List<SegmentName> all = list(disk, directory);
        if (all.isEmpty()) {
            throw new NoWalFilesException(directory, "no .wal files in the directory");
        }
        checkSequence(directory, all);
        return all;
    }

    /**
     * The segments to read for a snapshot at {@code snapshotIndex}: from the last one whose first
     * index is at or below it, to the end. Every segment in the directory must have consecutive
     * sequence numbers, not only those read (etcd checks those read): a gap or a duplicate anywhere
     * is damage to the directory, and the same error whatever snapshot a reader starts from.
     */
    public static List<SegmentName> selectFrom(Disk disk, Path directory, long snapshotIndex) {
        List<SegmentName> all = list(disk, directory);
        if (all.isEmpty()) {
            throw new NoWalFilesException(directory, "no .wal files in the directory");
        }
        int start = -1;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (Long.compareUnsigned(snapshotIndex, all.get(i).firstIndex()) >= 0) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            throw new NoWalFilesException(directory, "no segment starts at or before index "
                    + Long.toUnsignedString(snapshotIndex) + " (the first is " + all.get(0) + ")");
        }
        checkSequence(directory, all);
        return List.copyOf(all.subList(start, all.size()));
    }

    /** Fails when the sequence numbers do not increase by exactly one. */
    public static void checkSequence(Path directory, List<SegmentName> segments) {
        for (int i = 1; i < segments.size(); i++) {
            SegmentName previous = segments.get(i - 1);
            SegmentName next = segments.get(i);
            if (next.sequence() != previous.sequence() + 1) {
                throw new FileSequenceGapException(directory, previous.fileName(), next.fileName());
            }
        }
    }
}

package dev.jwal.core.engine;

import dev.jwal.core.CrcMismatchException;
import dev.jwal.core.FrameTooLargeException;
import dev.jwal.core.NoWalFilesException;
import dev.jwal.core.ReadableAfterDamageException;
import dev.jwal.core.ReadableRecords;
import dev.jwal.core.RecordDecodeException;
import dev.jwal.core.RepairResult;
import dev.jwal.core.SliceOutOfRangeException;
import dev.jwal.core.UnknownRecordTypeException;
import dev.jwal.core.WalException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.WalLockedException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalVerdict;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * etcd's {@code Repair}, judged by {@link WalVerdict}: only a torn tail is cut, after the whole
 * directory was read under the last segment's lock and a copy of the file was kept. Corruption
 * is refused unless the caller asked, knowingly, to discard the readable records after damage in
 * the last segment.
 */
public final class WalRepairer {

    private static final System.Logger LOG = System.getLogger(WalRepairer.class.getName());

    private WalRepairer() {
    }

    public static RepairResult repair(Path directory, WalOptions options, boolean discardReadable) {
        Path dir = directory.toAbsolutePath().normalize();
        Disk disk = options.disk();
        List<SegmentName> names = SegmentDirectory.list(disk, dir);
        if (names.isEmpty()) {
            throw new NoWalFilesException(dir, "no .wal files in the directory");
        }
        Path last = dir.resolve(names.get(names.size() - 1).fileName());
        DiskFile file;
        try {
            file = disk.openForWrite(last, false);
        } catch (IOException e) {
            throw new WalIoException("opening for repair", last, e);
        }
        try {
            if (!file.tryLock()) {
                throw new WalLockedException(last);
            }
            // Judged with the lock held, so that no writer changes what is judged before the cut.
            WalExaminer.Examination examination = WalExaminer.examineAll(dir, options);
            WalVerdict verdict = examination.verdict();
            WalException problem = verdict.problem();
            switch (verdict.kind()) {
                case CLEAN -> {
                    return RepairResult.clean(last);
                }
                case TORN_TAIL -> {
                    if (!problem.file().filter(last::equals).isPresent()) {
                        throw problem; // a torn tail is only ever in the segment this repair holds
                    }
                    return cut(disk, dir, file, problem.offset(), problem, ReadableRecords.NONE);
                }
                case CORRUPT -> {
                    if (discardReadable && cuttable(examination, last)) {
                        ReadableRecords lost = problem instanceof ReadableAfterDamageException r ? r.readable()
                                : ReadableRecords.NONE;
                        return cut(disk, dir, file, problem.offset(), problem, lost);
                    }
                    throw problem;
                }
                default -> throw problem;
            }
        } catch (IOException e) {
            throw new WalIoException("repairing", last, e);
        } finally {
            try {
                file.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "failed to close segment " + last, e);
            }
        }
    }

    /**
     * Whether corruption can be cut off knowingly: damage to a record of the last segment, past
     * its header. A segment that is not the last, a header, a directory's sequence or metadata
     * cannot be mended by cutting the end off.
     */
    private static boolean cuttable(WalExaminer.Examination examination, Path last) {
        WalException problem = examination.verdict().problem();
        if (examination.damageInHeader() || problem.file().filter(last::equals).isEmpty() || problem.offset() <= 0) {
            return false;
        }
        return problem instanceof ReadableAfterDamageException || problem instanceof CrcMismatchException
                || problem instanceof FrameTooLargeException || problem instanceof RecordDecodeException
                || problem instanceof UnknownRecordTypeException || problem instanceof SliceOutOfRangeException;
    }

    private static RepairResult cut(Disk disk, Path dir, DiskFile file, long keep, WalException why,
            ReadableRecords discarded) throws IOException {
        Path path = file.path();
        Path broken = path.resolveSibling(path.getFileName() + ".broken");
        long size = file.size();
        if (disk.exists(broken)) {
            disk.delete(broken);
        }
        try {
            try (DiskFile copy = disk.openForWrite(broken, true)) {
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                for (long at = 0; at < size; ) {
                    chunk.clear();
                    int n = file.read(chunk, at);
                    if (n < 0) {
                        break;
                    }
                    chunk.flip();
                    copy.write(chunk, at);
                    at += n;
                }
                copy.sync();
            }
            disk.syncDirectory(dir);
        } catch (IOException e) {
            // Nothing is cut without the whole copy: a half copy is no copy, and takes room.
            try {
                if (disk.exists(broken)) {
                    disk.delete(broken);
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new WalIoException("copying the segment to " + broken.getFileName()
                    + " before cutting its torn tail (nothing was cut):", path, e);
        }
        file.truncate(keep);
        file.sync();
        LOG.log(Level.WARNING, "repaired WAL segment {0}: cut at offset {1}, {2} bytes removed ({3}){4}; the whole"
                + " file was kept as {5}", path, String.valueOf(keep), String.valueOf(size - keep), why.getMessage(),
                discarded.any() ? "; discarded as asked: " + discarded.describe() : "", broken);
        return new RepairResult(path, true, keep, size - keep, broken, discarded);
    }
}

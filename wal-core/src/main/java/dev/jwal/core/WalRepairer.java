package dev.jwal.core;

import dev.jwal.core.codec.RecordView;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.segment.FrameDecoder;
import dev.jwal.core.segment.SegmentDirectory;
import dev.jwal.core.segment.SegmentName;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** etcd's {@code Repair}: cutting a torn tail off the last segment, keeping a copy of the whole file. */
final class WalRepairer {

    private static final System.Logger LOG = System.getLogger(Wal.class.getName());

    private WalRepairer() {
    }

    static RepairResult repair(Path directory, WalOptions options) {
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
            FrameDecoder decoder = new FrameDecoder(List.of(new FrameDecoder.Source(last, file)),
                    options.maxRecordSize());
            RecordView record = new RecordView();
            try {
                while (decoder.next(record)) {
                    // every record is checked by the decoder; the first failure says what to do
                }
                return RepairResult.clean(last);
            } catch (UnexpectedEofException torn) {
                return cutTornTail(disk, dir, file, decoder.lastValidOffset(), torn);
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

    private static RepairResult cutTornTail(Disk disk, Path dir, DiskFile file, long keep,
            UnexpectedEofException torn) throws IOException {
        Path path = file.path();
        Path broken = path.resolveSibling(path.getFileName() + ".broken");
        long size = file.size();
        if (disk.exists(broken)) {
            disk.delete(broken);
        }
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
        file.truncate(keep);
        file.sync();
        LOG.log(Level.WARNING, "repaired WAL segment {0}: cut at offset {1}, {2} bytes removed ({3}); the whole file"
                + " was kept as {4}", path, String.valueOf(keep), String.valueOf(size - keep), torn.getMessage(), broken);
        return new RepairResult(path, true, keep, size - keep, broken);
    }
}

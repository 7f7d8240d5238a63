package dev.jwal.core;

import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.ForwardingDisk;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real disk, except that the {@code n}-th call of one operation fails with an
 * {@link IOException}, as a full or failing disk would. Only operations on segment files
 * ({@code *.wal}) and directories are counted: the pipeline prepares its spares ({@code *.tmp})
 * on a thread of its own, and counting those would make the n-th call a race.
 */
final class FaultyDisk extends ForwardingDisk {

    /** The operations that can be made to fail. */
    enum Operation { WRITE, SYNC, EXTEND, TRUNCATE, RENAME, SYNC_DIRECTORY, CREATE_DIRECTORIES }

    private final Operation failing;
    private final AtomicInteger callsLeft;
    private final String message;

    /** Fails the {@code nth} call (1-based) of {@code operation}, and every one after it. */
    FaultyDisk(Operation operation, int nth, String message) {
        super(RealDisk.INSTANCE);
        this.failing = operation;
        this.callsLeft = new AtomicInteger(nth);
        this.message = message;
    }

    private void maybeFail(Operation operation, Path path) throws IOException {
        if (path.getFileName().toString().endsWith(".tmp") && !isDirectory(path)) {
            return;
        }
        if (operation == failing && callsLeft.decrementAndGet() <= 0) {
            throw new IOException(message);
        }
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        maybeFail(Operation.CREATE_DIRECTORIES, directory);
        super.createDirectories(directory);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        maybeFail(Operation.RENAME, to);
        super.rename(from, to);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        maybeFail(Operation.SYNC_DIRECTORY, directory);
        super.syncDirectory(directory);
    }

    @Override
    protected DiskFile wrap(DiskFile file) {
        return new ForwardingDiskFile(file) {
            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                maybeFail(Operation.WRITE, path());
                super.write(src, position);
            }

            @Override
            public void truncate(long size) throws IOException {
                maybeFail(Operation.TRUNCATE, path());
                super.truncate(size);
            }

            @Override
            public void sync() throws IOException {
                maybeFail(Operation.SYNC, path());
                super.sync();
            }

            @Override
            public void extend(long size, boolean allocate) throws IOException {
                maybeFail(Operation.EXTEND, path());
                super.extend(size, allocate);
            }
        };
    }
}

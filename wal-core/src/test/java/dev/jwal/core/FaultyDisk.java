package dev.jwal.core;

import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real disk, except that the {@code n}-th call of one operation fails with an
 * {@link IOException}, as a full or failing disk would. Only operations on segment files
 * ({@code *.wal}) and directories are counted: the pipeline prepares its spares ({@code *.tmp})
 * on a thread of its own, and counting those would make the n-th call a race.
 */
final class FaultyDisk implements Disk {

    /** The operations that can be made to fail. */
    enum Operation { WRITE, SYNC, EXTEND, TRUNCATE, RENAME, SYNC_DIRECTORY, CREATE_DIRECTORIES }

    private final Disk real = RealDisk.INSTANCE;
    private final Operation failing;
    private final AtomicInteger callsLeft;
    private final String message;

    /** Fails the {@code nth} call (1-based) of {@code operation}, and every one after it. */
    FaultyDisk(Operation operation, int nth, String message) {
        this.failing = operation;
        this.callsLeft = new AtomicInteger(nth);
        this.message = message;
    }

    private void maybeFail(Operation operation, Path path) throws IOException {
        if (path.getFileName().toString().endsWith(".tmp") && !real.isDirectory(path)) {
            return;
        }
        if (operation == failing && callsLeft.decrementAndGet() <= 0) {
            throw new IOException(message);
        }
    }

    @Override
    public DiskFile openForWrite(Path file, boolean create) throws IOException {
        return new FaultyFile(real.openForWrite(file, create));
    }

    @Override
    public DiskFile openForRead(Path file) throws IOException {
        return new FaultyFile(real.openForRead(file));
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        return real.list(directory);
    }

    @Override
    public boolean exists(Path path) {
        return real.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return real.isDirectory(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        maybeFail(Operation.CREATE_DIRECTORIES, directory);
        real.createDirectories(directory);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        maybeFail(Operation.RENAME, to);
        real.rename(from, to);
    }

    @Override
    public void delete(Path path) throws IOException {
        real.delete(path);
    }

    @Override
    public void deleteRecursively(Path directory) throws IOException {
        real.deleteRecursively(directory);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        maybeFail(Operation.SYNC_DIRECTORY, directory);
        real.syncDirectory(directory);
    }

    private final class FaultyFile implements DiskFile {
        private final DiskFile file;

        FaultyFile(DiskFile file) {
            this.file = file;
        }

        @Override
        public Path path() {
            return file.path();
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            maybeFail(Operation.WRITE, file.path());
            file.write(src, position);
        }

        @Override
        public void truncate(long size) throws IOException {
            maybeFail(Operation.TRUNCATE, file.path());
            file.truncate(size);
        }

        @Override
        public void sync() throws IOException {
            maybeFail(Operation.SYNC, file.path());
            file.sync();
        }

        @Override
        public void extend(long size, boolean allocate) throws IOException {
            maybeFail(Operation.EXTEND, file.path());
            file.extend(size, allocate);
        }

        @Override
        public boolean tryLock() throws IOException {
            return file.tryLock();
        }

        @Override
        public boolean isLocked() {
            return file.isLocked();
        }

        @Override
        public void unlock() throws IOException {
            file.unlock();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}

package dev.jwal.spring.boot;

import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** The real disk, whose fdatasyncs fail while {@link #failing} is set: a dying disk on demand. */
final class FailingSyncDisk implements Disk {

    static final String MESSAGE = "EIO: the test's disk failed";

    static volatile boolean failing;

    private final Disk real = RealDisk.INSTANCE;

    @Override
    public DiskFile openForWrite(Path file, boolean create) throws IOException {
        return new FailingFile(real.openForWrite(file, create));
    }

    @Override
    public DiskFile openForRead(Path file) throws IOException {
        return real.openForRead(file);
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
        real.createDirectories(directory);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
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
        real.syncDirectory(directory);
    }

    private record FailingFile(DiskFile file) implements DiskFile {

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
            file.write(src, position);
        }

        @Override
        public void truncate(long size) throws IOException {
            file.truncate(size);
        }

        @Override
        public void sync() throws IOException {
            if (failing) {
                throw new IOException(MESSAGE);
            }
            file.sync();
        }

        @Override
        public void extend(long size, boolean allocate) throws IOException {
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

package dev.jwal.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link Disk} that passes every call to another, for disks that change a few operations: a test
 * disk that fails fsync, a simulated one that drops writes. Override what differs; files opened
 * for writing can be wrapped by overriding {@link #wrap(DiskFile)}.
 */
public class ForwardingDisk implements Disk {

    private final Disk delegate;

    public ForwardingDisk(Disk delegate) {
        this.delegate = delegate;
    }

    /** Wraps each file opened for writing; the default returns it as it is. */
    protected DiskFile wrap(DiskFile file) {
        return file;
    }

    @Override
    public DiskFile openForWrite(Path file, boolean create) throws IOException {
        return wrap(delegate.openForWrite(file, create));
    }

    @Override
    public DiskFile openForRead(Path file) throws IOException {
        return delegate.openForRead(file);
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        return delegate.list(directory);
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return delegate.isDirectory(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        delegate.createDirectories(directory);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        delegate.rename(from, to);
    }

    @Override
    public void delete(Path path) throws IOException {
        delegate.delete(path);
    }

    @Override
    public void deleteRecursively(Path directory) throws IOException {
        delegate.deleteRecursively(directory);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        delegate.syncDirectory(directory);
    }

    /** A {@link DiskFile} that passes every call to another; override what differs. */
    public static class ForwardingDiskFile implements DiskFile {

        private final DiskFile delegate;

        public ForwardingDiskFile(DiskFile delegate) {
            this.delegate = delegate;
        }

        @Override
        public Path path() {
            return delegate.path();
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            delegate.write(src, position);
        }

        @Override
        public void truncate(long size) throws IOException {
            delegate.truncate(size);
        }

        @Override
        public void sync() throws IOException {
            delegate.sync();
        }

        @Override
        public void extend(long size, boolean allocate) throws IOException {
            delegate.extend(size, allocate);
        }

        @Override
        public boolean tryLock() throws IOException {
            return delegate.tryLock();
        }

        @Override
        public boolean isLocked() {
            return delegate.isLocked();
        }

        @Override
        public void unlock() throws IOException {
            delegate.unlock();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    @Override
    public boolean reserve(Path file, long size) throws IOException {
        return delegate.reserve(file, size);
    }
}

package dev.jwal.core.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The disk as it is, through {@link AsynchronousFileChannel}s that run on the calling thread
 * (see {@link CallerRunsChannels}).
 *
 * <p>Java's file locks are POSIX record locks, and closing <em>any</em> descriptor of a file drops
 * every lock the process holds on it. A reader in the same JVM (a verify, the Actuator endpoint)
 * that opened and closed a segment would silently release the writer's lock. So this class keeps
 * one channel per file for the whole JVM, shared by reference count, and closes it only when the
 * last handle is closed; the lock is released on its own, with {@link FileLock#release()}.
 *
 * <p>Java closes a {@code FileChannel} when a thread doing I/O on it is interrupted, which would
 * drop the lock and kill the writer with it. Nothing here can be closed that way: writes, syncs
 * and truncations go through a caller-runs {@link AsynchronousFileChannel}, which is not an
 * interruptible channel, so any thread may write (the log writer, or a saving caller that found it
 * idle); reads and sizes, which any thread may ask for (a replay, a read by index, a verify from a
 * request thread), go through a second, read-only descriptor used with classic blocking I/O; it
 * lives and dies with the channel.
 */
public final class RealDisk implements Disk {

    /** The one instance: the channel registry must be JVM-wide to do its job. */
    public static final RealDisk INSTANCE = new RealDisk();

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?>[] PRIVATE_FILE = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    private static final FileAttribute<?>[] PRIVATE_DIR = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];
    private static final int ZEROS_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZEROS_CHUNK).asReadOnlyBuffer();

    private static final System.Logger LOG = System.getLogger(RealDisk.class.getName());

    private final Map<Path, SharedChannel> channels = new HashMap<>();
    private volatile boolean toldUnavailable;

    private RealDisk() {
    }

    @Override
    public DiskFile openForWrite(Path file, boolean create) throws IOException {
        return open(file, true, create);
    }

    @Override
    public DiskFile openForRead(Path file) throws IOException {
        return open(file, Files.isWritable(file), false);
    }

    private DiskFile open(Path file, boolean write, boolean create) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        synchronized (channels) {
            SharedChannel shared = channels.get(key);
            if (shared == null) {
                AsynchronousFileChannel channel = openChannel(key, write, create);
                RandomAccessFile reader;
                try {
                    reader = new RandomAccessFile(key.toFile(), "r");
                } catch (FileNotFoundException e) {
                    channel.close();
                    throw new NoSuchFileException(key.toString(), null, e.getMessage());
                }
                shared = new SharedChannel(key, channel, reader, write);
                channels.put(key, shared);
            } else if (write && !shared.writable) {
                throw new IOException("file is already open read-only in this JVM: " + key);
            }
            shared.references++;
            return new Handle(shared);
        }
    }

    private static AsynchronousFileChannel openChannel(Path file, boolean write, boolean create) throws IOException {
        if (!write) {
            return CallerRunsChannels.open(file, Set.of(StandardOpenOption.READ));
        }
        Set<OpenOption> options = create
                ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        return CallerRunsChannels.open(file, options, create ? PRIVATE_FILE : new FileAttribute<?>[0]);
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return Files.isDirectory(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        List<Path> missing = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            Files.createDirectory(p, PRIVATE_DIR);
        }
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Path fromKey = from.toAbsolutePath().normalize();
        Path toKey = to.toAbsolutePath().normalize();
        synchronized (channels) {
            if (Files.exists(to)) {
                throw new IOException("rename target exists: " + to);
            }
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            // Open channels follow the file (a descriptor survives a rename), and so must their keys,
            // including those of files inside a renamed directory.
            Map<Path, SharedChannel> moved = new HashMap<>();
            channels.entrySet().removeIf(e -> {
                if (e.getKey().startsWith(fromKey)) {
                    Path newKey = toKey.resolve(fromKey.relativize(e.getKey()));
                    e.getValue().path = newKey;
                    moved.put(newKey, e.getValue());
                    return true;
                }
                return false;
            });
            channels.putAll(moved);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.delete(path);
    }

    @Override
    public void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException gone) {
                    // already removed by someone else: the goal is reached
                }
            }
        }
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        CallerRunsChannels.syncDirectory(directory);
    }

    /**
     * {@code fallocate(2)} on Linux from Java 22 with native access enabled (see
     * {@code NativeAllocation}); false elsewhere, said once in the log. False too while this JVM
     * has the file open: the descriptor the call uses is closed after it, and closing it would
     * drop the lock held through the shared channel.
     */
    @Override
    public boolean reserve(Path file, long size) throws IOException {
        String unavailable = NativeAllocation.unavailableReason();
        if (!unavailable.isEmpty()) {
            if (!toldUnavailable) {
                toldUnavailable = true;
                LOG.log(System.Logger.Level.INFO, "jwal writes zeros to preallocate segments, not fallocate: {0}",
                        unavailable);
            }
            return false;
        }
        Path key = file.toAbsolutePath().normalize();
        synchronized (channels) {
            if (channels.containsKey(key)) {
                return false;
            }
            return NativeAllocation.allocate(key, size);
        }
    }

    private void release(SharedChannel shared) throws IOException {
        synchronized (channels) {
            if (--shared.references > 0) {
                return;
            }
            channels.remove(shared.path, shared);
        }
        try {
            shared.reader.close();
        } finally {
            shared.channel.close();
        }
    }

    /** One channel per file per JVM, with its single lock. */
    private static final class SharedChannel {
        private Path path;
        private final AsynchronousFileChannel channel;
        /** The uninterruptible read path; guards its own file position. */
        private final RandomAccessFile reader;
        private final boolean writable;
        private int references;
        private FileLock lock;
        private Handle lockOwner;

        SharedChannel(Path path, AsynchronousFileChannel channel, RandomAccessFile reader, boolean writable) {
            this.path = path;
            this.channel = channel;
            this.reader = reader;
            this.writable = writable;
        }
    }

    private final class Handle implements DiskFile {
        private final SharedChannel shared;
        private boolean closed;

        Handle(SharedChannel shared) {
            this.shared = shared;
        }

        @Override
        public Path path() {
            synchronized (channels) {
                return shared.path;
            }
        }

        @Override
        public long size() throws IOException {
            return shared.reader.length();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            RandomAccessFile reader = shared.reader;
            synchronized (reader) {
                reader.seek(position);
                if (dst.hasArray()) {
                    int n = reader.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                    return n;
                }
                byte[] bytes = new byte[Math.min(dst.remaining(), 1 << 20)];
                int n = reader.read(bytes, 0, bytes.length);
                if (n > 0) {
                    dst.put(bytes, 0, n);
                }
                return n;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            CallerRunsChannels.writeFully(shared.channel, src, position);
        }

        @Override
        public void truncate(long size) throws IOException {
            shared.channel.truncate(size);
        }

        @Override
        public void sync() throws IOException {
            shared.channel.force(false);
        }

        @Override
        public void extend(long size, boolean allocate) throws IOException {
            long at = shared.channel.size();
            if (at >= size) {
                return;
            }
            if (!allocate) {
                // One zero byte at the end makes the file that long; the blocks before stay holes.
                write(ByteBuffer.wrap(new byte[1]), size - 1);
                return;
            }
            while (at < size) {
                ByteBuffer zeros = ZEROS.duplicate();
                int chunk = (int) Math.min(ZEROS_CHUNK, size - at);
                zeros.limit(chunk);
                CallerRunsChannels.writeFully(shared.channel, zeros, at);
                at += chunk;
            }
        }

        @Override
        public boolean tryLock() throws IOException {
            synchronized (channels) {
                if (shared.lock != null) {
                    return shared.lockOwner == this;
                }
                FileLock lock;
                try {
                    lock = shared.channel.tryLock();
                } catch (OverlappingFileLockException heldInThisJvm) {
                    return false;
                }
                if (lock == null) {
                    return false;
                }
                shared.lock = lock;
                shared.lockOwner = this;
                return true;
            }
        }

        @Override
        public boolean isLocked() {
            synchronized (channels) {
                return shared.lockOwner == this;
            }
        }

        @Override
        public void unlock() throws IOException {
            FileLock lock;
            synchronized (channels) {
                if (shared.lockOwner != this) {
                    return;
                }
                lock = shared.lock;
                shared.lock = null;
                shared.lockOwner = null;
            }
            if (lock.isValid()) {
                lock.release();
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                unlock();
            } finally {
                release(shared);
            }
        }

        @Override
        public String toString() {
            return path().toString();
        }
    }
}

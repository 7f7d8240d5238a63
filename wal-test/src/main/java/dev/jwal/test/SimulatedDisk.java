package dev.jwal.test;

import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A disk in memory that keeps what is durable apart from what is only written, so that a test can
 * cut the power anywhere and see what survives.
 *
 * <p>File data: every write since a file's last {@code sync} is pending. A {@linkplain #crash
 * crash} keeps, per file and as its {@link CrashMode} says, none, all, a prefix or a random
 * choice of the pending writes, sector by sector: 512-byte sectors are atomic, so each ends up as
 * one of its versions (zeros, in space nothing durable was written to yet). A pending size change
 * (an extension, a truncation) survives or not.
 *
 * <p>Names: creating, renaming and deleting files and directories are pending until the
 * directory holding the name is synced (the target's directory, for a rename); a crash keeps each
 * pending change or loses it, in order, as the mode says. A rename is atomic.
 *
 * <p>Faults: {@link #failOn} makes the n-th call of an operation fail once; {@link #capacity}
 * makes writes beyond a number of bytes fail with "No space left on device"; {@link
 * #powerLossAfter} freezes the disk at the n-th operation, after which everything fails until
 * the test calls {@link #crash}. Operations on the WAL pipeline's spares ({@code *.tmp}), which a
 * background thread prepares, are not counted, so that the n-th call is reproducible.
 */
public final class SimulatedDisk implements Disk {

    /** What a crash keeps of writes, size changes and name changes that were not yet durable. */
    public enum CrashMode {
        /** Nothing pending survives: the strictest power loss. */
        DROP_ALL,
        /** Everything survives: a process crash, where the page cache outlives the process. */
        KEEP_ALL,
        /** A prefix of each file's pending sectors survives, in write order. */
        PREFIX,
        /** Each sector keeps its own prefix of the writes to it: the disk reordered sectors. */
        RANDOM_SECTORS,
        /** A prefix survives; the sectors of the next write are each new or old (zeros in new space). */
        TORN_SECTOR
    }

    /** The operations faults can be injected into. */
    public enum Op { WRITE, SYNC, EXTEND, TRUNCATE, RENAME, SYNC_DIRECTORY, CREATE, DELETE }

    private static final int SECTOR = 512;

    private final Object mutex = new Object();
    private final TreeMap<Path, Inode> files = new TreeMap<>();
    private final TreeSet<Path> dirs = new TreeSet<>();
    private TreeMap<Path, Inode> durableFiles = new TreeMap<>();
    private TreeSet<Path> durableDirs = new TreeSet<>();
    private final List<NameChange> pendingNames = new ArrayList<>();
    /** Pending changes whose directory was synced, waiting for those before them. */
    private final java.util.Set<NameChange> durableChanges =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final Map<Op, Long> calls = new EnumMap<>(Op.class);
    private final Map<Op, long[]> failures = new EnumMap<>(Op.class);
    private final Map<Path, java.util.TreeSet<Long>> badSectors = new java.util.HashMap<>();
    private final Map<Op, String> failureMessages = new EnumMap<>(Op.class);
    private long generation;
    private long capacity = Long.MAX_VALUE;
    private long operationsUntilPowerLoss = -1;
    private boolean powerLost;
    private long operations;

    public SimulatedDisk() {
        Path root = Path.of("/").toAbsolutePath();
        dirs.add(root);
        durableDirs.add(root);
    }

    // ---------------------------------------------------------------------------------------------
    // Test controls

    /** Fails the {@code nth} call (1-based) of {@code op}, once, with {@code message}. */
    /**
     * Makes the 512-byte sector at {@code offset} of {@code path} unreadable, as a bad sector is:
     * every read that touches it fails with an I/O error (EIO), until the test ends.
     */
    public SimulatedDisk unreadableSector(Path path, long offset) {
        synchronized (mutex) {
            badSectors.computeIfAbsent(key(path), p -> new java.util.TreeSet<>()).add(offset / 512 * 512);
        }
        return this;
    }

    public SimulatedDisk failOn(Op op, long nth, String message) {
        synchronized (mutex) {
            failures.put(op, new long[] {calls.getOrDefault(op, 0L) + nth});
            failureMessages.put(op, message);
            return this;
        }
    }

    /** Writes and extensions that would make the files hold more than {@code bytes} fail. */
    public SimulatedDisk capacity(long bytes) {
        synchronized (mutex) {
            this.capacity = bytes;
            return this;
        }
    }

    /**
     * Cuts the power at the {@code n}-th counted operation from now (1-based): that operation and
     * every later one fail, until {@link #crash}.
     */
    public SimulatedDisk powerLossAfter(long n) {
        synchronized (mutex) {
            operationsUntilPowerLoss = n;
            return this;
        }
    }

    /** Cuts the power now. */
    public void cutPower() {
        synchronized (mutex) {
            powerLost = true;
        }
    }

    /** Whether the power is off. */
    public boolean powerLost() {
        synchronized (mutex) {
            return powerLost;
        }
    }

    /** Counted operations so far. */
    public long operations() {
        synchronized (mutex) {
            return operations;
        }
    }

    /**
     * Restarts the machine: what was pending is kept or lost as {@code mode} says, every open
     * handle dies, and the power comes back on, with no fault left armed.
     */
    public void crash(CrashMode mode, long seed) {
        synchronized (mutex) {
            SplittableRandom names = new SplittableRandom(seed);
            TreeMap<Path, Inode> survivingFiles = new TreeMap<>(durableFiles);
            TreeSet<Path> survivingDirs = new TreeSet<>(durableDirs);
            for (NameChange change : pendingNames) {
                boolean keep = durableChanges.contains(change) || switch (mode) {
                    case DROP_ALL -> false;
                    case KEEP_ALL -> true;
                    default -> names.nextBoolean();
                };
                if (keep) {
                    change.apply(survivingFiles, survivingDirs);
                }
            }
            pendingNames.clear();
            durableChanges.clear();
            files.clear();
            dirs.clear();
            dirs.addAll(survivingDirs);
            for (Map.Entry<Path, Inode> entry : survivingFiles.entrySet()) {
                Inode inode = entry.getValue();
                long fileSeed = seed ^ entry.getKey().toString().hashCode() * 0x9E3779B97F4A7C15L;
                inode.crash(mode, new SplittableRandom(fileSeed));
                inode.lockOwner = null;
                files.put(entry.getKey(), inode);
            }
            durableFiles = new TreeMap<>(files);
            durableDirs = new TreeSet<>(dirs);
            generation++;
            powerLost = false;
            operationsUntilPowerLoss = -1;
            failures.clear();
        }
    }

    /** The bytes of a file as they are now (for assertions). */
    public byte[] contents(Path path) throws IOException {
        synchronized (mutex) {
            Inode inode = files.get(key(path));
            if (inode == null) {
                throw new java.nio.file.NoSuchFileException(path.toString());
            }
            return Arrays.copyOf(inode.data, inode.size);
        }
    }

    /** Replaces a file's bytes, durably (to set up corrupted files). */
    public void overwrite(Path path, byte[] bytes) throws IOException {
        synchronized (mutex) {
            Inode inode = files.get(key(path));
            if (inode == null) {
                throw new java.nio.file.NoSuchFileException(path.toString());
            }
            inode.data = bytes.clone();
            inode.size = bytes.length;
            inode.sync();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Disk

    @Override
    public DiskFile openForWrite(Path file, boolean create) throws IOException {
        Path path = key(file);
        synchronized (mutex) {
            checkPower();
            Inode inode = files.get(path);
            if (inode == null) {
                if (!create) {
                    throw new java.nio.file.NoSuchFileException(path.toString());
                }
                requireDirectory(path.getParent());
                count(Op.CREATE, path);
                inode = new Inode();
                files.put(path, inode);
                pendingNames.add(new NameChange.Create(path, inode));
            }
            return new Handle(inode, true);
        }
    }

    @Override
    public DiskFile openForRead(Path file) throws IOException {
        Path path = key(file);
        synchronized (mutex) {
            checkPower();
            Inode inode = files.get(path);
            if (inode == null) {
                throw new java.nio.file.NoSuchFileException(path.toString());
            }
            return new Handle(inode, false);
        }
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        Path dir = key(directory);
        synchronized (mutex) {
            checkPower();
            if (!dirs.contains(dir)) {
                throw new java.nio.file.NotDirectoryException(dir.toString());
            }
            TreeSet<String> names = new TreeSet<>();
            for (Path p : files.keySet()) {
                if (dir.equals(p.getParent())) {
                    names.add(p.getFileName().toString());
                }
            }
            for (Path p : dirs) {
                if (dir.equals(p.getParent())) {
                    names.add(p.getFileName().toString());
                }
            }
            return new ArrayList<>(names);
        }
    }

    @Override
    public boolean exists(Path path) {
        Path p = key(path);
        synchronized (mutex) {
            return files.containsKey(p) || dirs.contains(p);
        }
    }

    @Override
    public boolean isDirectory(Path path) {
        synchronized (mutex) {
            return dirs.contains(key(path));
        }
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        Path dir = key(directory);
        synchronized (mutex) {
            checkPower();
            List<Path> missing = new ArrayList<>();
            for (Path p = dir; p != null && !dirs.contains(p); p = p.getParent()) {
                if (files.containsKey(p)) {
                    throw new java.nio.file.FileAlreadyExistsException(p.toString());
                }
                missing.add(0, p);
            }
            for (Path p : missing) {
                count(Op.CREATE, p);
                dirs.add(p);
                pendingNames.add(new NameChange.Mkdir(p));
            }
        }
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Path source = key(from);
        Path target = key(to);
        synchronized (mutex) {
            checkPower();
            if (files.containsKey(target) || dirs.contains(target)) {
                throw new IOException("rename target exists: " + target);
            }
            if (!files.containsKey(source) && !dirs.contains(source)) {
                throw new java.nio.file.NoSuchFileException(source.toString());
            }
            requireDirectory(target.getParent());
            count(Op.RENAME, source);
            NameChange change = new NameChange.Rename(source, target);
            change.apply(files, dirs);
            pendingNames.add(change);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        Path p = key(path);
        synchronized (mutex) {
            checkPower();
            if (dirs.contains(p)) {
                if (!list(p).isEmpty()) {
                    throw new java.nio.file.DirectoryNotEmptyException(p.toString());
                }
            } else if (!files.containsKey(p)) {
                throw new java.nio.file.NoSuchFileException(p.toString());
            }
            count(Op.DELETE, p);
            NameChange change = new NameChange.Delete(p);
            change.apply(files, dirs);
            pendingNames.add(change);
        }
    }

    @Override
    public void deleteRecursively(Path directory) throws IOException {
        Path dir = key(directory);
        synchronized (mutex) {
            if (!dirs.contains(dir)) {
                return;
            }
            for (Path p : new ArrayList<>(files.keySet())) {
                if (p.startsWith(dir)) {
                    delete(p);
                }
            }
            for (Path p : new ArrayList<>(dirs.descendingSet())) {
                if (p.startsWith(dir)) {
                    delete(p);
                }
            }
        }
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        Path dir = key(directory);
        synchronized (mutex) {
            checkPower();
            if (!dirs.contains(dir)) {
                throw new java.nio.file.NoSuchFileException(dir.toString());
            }
            count(Op.SYNC_DIRECTORY, dir);
            for (NameChange change : pendingNames) {
                if (change.directory().equals(dir)) {
                    durableChanges.add(change);
                }
            }
            // A durable change may depend on a pending one before it (a file created in a
            // directory whose own creation is pending): the durable names are the base with the
            // leading run of durable changes applied; the rest wait in order.
            while (!pendingNames.isEmpty() && durableChanges.contains(pendingNames.get(0))) {
                NameChange change = pendingNames.remove(0);
                durableChanges.remove(change);
                change.apply(durableFiles, durableDirs);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static Path key(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private void requireDirectory(Path dir) throws IOException {
        if (dir != null && !dirs.contains(dir)) {
            throw new java.nio.file.NoSuchFileException(dir + " (no such directory)");
        }
    }

    private void checkPower() throws IOException {
        if (powerLost) {
            throw new IOException("simulated power loss");
        }
    }

    /** Counts an operation: it may cut the power or fail as a test asked. */
    private void count(Op op, Path path) throws IOException {
        checkPower();
        if (path.getFileName() != null && path.getFileName().toString().endsWith(".tmp")
                && !dirs.contains(path)) {
            return;
        }
        operations++;
        if (operationsUntilPowerLoss > 0 && --operationsUntilPowerLoss == 0) {
            powerLost = true;
            throw new IOException("simulated power loss");
        }
        long n = calls.merge(op, 1L, Long::sum);
        long[] failAt = failures.get(op);
        if (failAt != null && failAt[0] == n) {
            failures.remove(op);
            throw new IOException(failureMessages.get(op));
        }
    }

    private long used() {
        long total = 0;
        for (Inode inode : files.values()) {
            total += inode.size;
        }
        return total;
    }

    /** A pending change of names, applied to the live names at once and to the durable ones later. */
    private sealed interface NameChange {

        /** The directory whose sync makes this change durable. */
        Path directory();

        void apply(TreeMap<Path, Inode> files, TreeSet<Path> dirs);


        record Create(Path path, Inode inode) implements NameChange {
            public Path directory() {
                return path.getParent();
            }

            public void apply(TreeMap<Path, Inode> files, TreeSet<Path> dirs) {
                if (dirs.contains(path.getParent())) {
                    files.putIfAbsent(path, inode);
                }
            }
        }

        record Mkdir(Path path) implements NameChange {
            public Path directory() {
                return path.getParent();
            }

            public void apply(TreeMap<Path, Inode> files, TreeSet<Path> dirs) {
                if (dirs.contains(path.getParent())) {
                    dirs.add(path);
                }
            }
        }

        record Delete(Path path) implements NameChange {
            public Path directory() {
                return path.getParent();
            }

            public void apply(TreeMap<Path, Inode> files, TreeSet<Path> dirs) {
                files.remove(path);
                boolean empty = files.keySet().stream().noneMatch(p -> p.startsWith(path))
                        && dirs.stream().noneMatch(p -> !p.equals(path) && p.startsWith(path));
                if (empty) {
                    dirs.remove(path);
                }
            }
        }

        record Rename(Path from, Path to) implements NameChange {
            public Path directory() {
                return to.getParent();
            }

            public void apply(TreeMap<Path, Inode> files, TreeSet<Path> dirs) {
                if (!dirs.contains(to.getParent()) || files.containsKey(to) || dirs.contains(to)) {
                    return;
                }
                Inode file = files.remove(from);
                if (file != null) {
                    files.put(to, file);
                    return;
                }
                if (!dirs.contains(from)) {
                    return;
                }
                for (Path p : new ArrayList<>(dirs)) {
                    if (p.startsWith(from)) {
                        dirs.remove(p);
                        dirs.add(to.resolve(from.relativize(p)));
                    }
                }
                for (Path p : new ArrayList<>(files.keySet())) {
                    if (p.startsWith(from)) {
                        files.put(to.resolve(from.relativize(p)), files.remove(p));
                    }
                }
            }
        }
    }

    /** One write not yet synced. */
    private record Write(long offset, byte[] bytes) {
    }

    /** A file's contents: as written, and as last synced. */
    private static final class Inode {
        byte[] data = new byte[0];
        int size;
        byte[] durable = new byte[0];
        int durableSize;
        final List<Write> pending = new ArrayList<>();
        boolean sizePending;
        Handle lockOwner;

        void write(byte[] bytes, long offset) {
            int end = Math.toIntExact(offset + bytes.length);
            ensure(end);
            System.arraycopy(bytes, 0, data, (int) offset, bytes.length);
            if (end > size) {
                size = end;
                sizePending = true;
            }
            pending.add(new Write(offset, bytes));
        }

        void resize(long newSize) {
            int n = Math.toIntExact(newSize);
            ensure(n);
            if (n < size) {
                Arrays.fill(data, n, size, (byte) 0);
            }
            size = n;
            sizePending = true;
        }

        void sync() {
            durable = Arrays.copyOf(data, size);
            durableSize = size;
            pending.clear();
            sizePending = false;
        }

        private void ensure(int length) {
            if (data.length < length) {
                data = Arrays.copyOf(data, Math.max(length, data.length * 2));
            }
        }

        /**
         * Becomes what survives a crash of the given kind. Sectors are atomic, as disks promise
         * and as etcd's torn-write detection assumes: each sector written since the last sync
         * ends up as one of its versions, the durable one or one after some of the pending
         * writes in order (write-back may have happened between two writes).
         */
        void crash(CrashMode mode, SplittableRandom random) {
            if (mode == CrashMode.KEEP_ALL) {
                sync();
                return;
            }
            int writes = pending.size();
            // For each sector touched: how many of the pending writes it keeps (a prefix of them).
            TreeMap<Long, Integer> keptBySector = new TreeMap<>();
            int prefix = writes == 0 ? 0 : random.nextInt(writes + 1);
            for (int w = 0; w < writes; w++) {
                Write write = pending.get(w);
                long first = write.offset() / SECTOR;
                long last = (write.offset() + write.bytes().length - 1) / SECTOR;
                for (long sector = first; sector <= last; sector++) {
                    keptBySector.putIfAbsent(sector, 0);
                }
            }
            for (Map.Entry<Long, Integer> sector : keptBySector.entrySet()) {
                List<Integer> touching = new ArrayList<>();
                for (int w = 0; w < writes; w++) {
                    Write write = pending.get(w);
                    long first = write.offset() / SECTOR;
                    long last = (write.offset() + write.bytes().length - 1) / SECTOR;
                    if (sector.getKey() >= first && sector.getKey() <= last) {
                        touching.add(w);
                    }
                }
                int keep = switch (mode) {
                    case DROP_ALL -> 0;
                    case PREFIX -> prefix;
                    case RANDOM_SECTORS -> {
                        int versions = random.nextInt(touching.size() + 1);
                        yield versions == 0 ? 0 : touching.get(versions - 1) + 1;
                    }
                    case TORN_SECTOR -> {
                        // The torn write's sectors are each new or old; old is zeros where
                        // nothing durable was there yet (preallocated or new space). A sector
                        // that held durable bytes never reads back as zeros: that would be a
                        // disk losing synced data, not a crash.
                        if (touching.contains(prefix)) {
                            yield random.nextBoolean() ? prefix + 1 : prefix;
                        }
                        yield prefix;
                    }
                    default -> writes;
                };
                sector.setValue(keep);
            }
            // Room for every pending write: one made before a truncate that shrank the file may
            // reach past its size now, and still be what a sector kept.
            long reach = Math.max(durableSize, size);
            for (Write write : pending) {
                reach = Math.max(reach, write.offset() + write.bytes().length);
            }
            byte[] survived = Arrays.copyOf(durable, (int) reach);
            int end = durableSize;
            for (Map.Entry<Long, Integer> sector : keptBySector.entrySet()) {
                int from = (int) (sector.getKey() * SECTOR);
                int to = from + SECTOR;
                for (int w = 0; w < sector.getValue(); w++) {
                    Write write = pending.get(w);
                    int start = (int) Math.max(from, write.offset());
                    int stop = (int) Math.min(to, write.offset() + write.bytes().length);
                    if (start < stop) {
                        System.arraycopy(write.bytes(), (int) (start - write.offset()), survived, start, stop - start);
                        end = Math.max(end, stop);
                    }
                }
            }
            int newSize = sizePending && mode != CrashMode.DROP_ALL && random.nextBoolean() ? size : Math.max(durableSize, end);
            if (newSize > survived.length) {
                survived = Arrays.copyOf(survived, newSize);
            }
            data = Arrays.copyOf(survived, newSize);
            size = newSize;
            sync();
        }
    }

    /** An open file: dead after a crash, as a descriptor does not outlive a reboot. */
    private final class Handle implements DiskFile {
        private final Inode inode;
        private final boolean writable;
        private final long born;
        private boolean closed;

        Handle(Inode inode, boolean writable) {
            this.inode = inode;
            this.writable = writable;
            this.born = generation;
        }

        @Override
        public Path path() {
            synchronized (mutex) {
                for (Map.Entry<Path, Inode> entry : files.entrySet()) {
                    if (entry.getValue() == inode) {
                        return entry.getKey();
                    }
                }
                return Path.of("/(deleted)");
            }
        }

        private void check(boolean write) throws IOException {
            checkPower();
            if (closed) {
                throw new java.nio.channels.ClosedChannelException();
            }
            if (born != generation) {
                throw new IOException("the file was open across a simulated crash");
            }
            if (write && !writable) {
                throw new java.nio.channels.NonWritableChannelException();
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (mutex) {
                check(false);
                return inode.size;
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (mutex) {
                check(false);
                if (position >= inode.size) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), inode.size - position);
                java.util.TreeSet<Long> bad = badSectors.get(key(path()));
                if (bad != null) {
                    Long sector = bad.floor(position + n - 1);
                    if (sector != null && sector + 512 > position) {
                        throw new IOException("Input/output error (simulated bad sector at " + sector + ")");
                    }
                }
                dst.put(inode.data, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (mutex) {
                check(true);
                count(Op.WRITE, path());
                long end = position + src.remaining();
                if (end > inode.size && used() + (end - inode.size) > capacity) {
                    throw new IOException("No space left on device");
                }
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                inode.write(bytes, position);
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (mutex) {
                check(true);
                count(Op.TRUNCATE, path());
                if (size < inode.size) {
                    inode.resize(size);
                }
            }
        }

        @Override
        public void sync() throws IOException {
            synchronized (mutex) {
                check(false);
                count(Op.SYNC, path());
                inode.sync();
            }
        }

        @Override
        public void extend(long size, boolean allocate) throws IOException {
            synchronized (mutex) {
                check(true);
                count(Op.EXTEND, path());
                if (size <= inode.size) {
                    return;
                }
                if (used() + (size - inode.size) > capacity) {
                    throw new IOException("No space left on device");
                }
                inode.resize(size);
            }
        }

        @Override
        public boolean tryLock() throws IOException {
            synchronized (mutex) {
                check(false);
                if (inode.lockOwner != null) {
                    return inode.lockOwner == this;
                }
                inode.lockOwner = this;
                return true;
            }
        }

        @Override
        public boolean isLocked() {
            synchronized (mutex) {
                return inode.lockOwner == this;
            }
        }

        @Override
        public void unlock() {
            synchronized (mutex) {
                if (inode.lockOwner == this) {
                    inode.lockOwner = null;
                }
            }
        }

        @Override
        public void close() {
            synchronized (mutex) {
                if (!closed) {
                    closed = true;
                    unlock();
                }
            }
        }

        @Override
        public String toString() {
            return path().toString();
        }
    }
}

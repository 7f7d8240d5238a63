package dev.jwal.test;

import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.ForwardingDisk;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A disk on which one operation fails with an {@link IOException}, as a full or dying disk's
 * would: from its {@code n}-th call on ({@link #failingFrom}), or while a switch is on
 * ({@link #failingWhile}). Everything else passes to the disk underneath, the real one unless
 * another is given.
 *
 * <p>Only operations on segment files ({@code *.wal}) and directories are counted or failed: a
 * WAL prepares its spare segments ({@code *.tmp}) on a thread of its own, and counting those
 * would make "the n-th call" a race.
 */
public final class FaultyDisk extends ForwardingDisk {

    /** The operations that can be made to fail. */
    public enum Operation { WRITE, SYNC, EXTEND, TRUNCATE, RENAME, SYNC_DIRECTORY, CREATE_DIRECTORIES }

    /** Decides, per call of the failing operation, whether it fails. */
    private interface Trigger {
        boolean fires();
    }

    private final Operation failing;
    private final Trigger trigger;
    private final String message;

    private FaultyDisk(Disk delegate, Operation failing, Trigger trigger, String message) {
        super(delegate);
        this.failing = Objects.requireNonNull(failing, "failing");
        this.trigger = trigger;
        this.message = Objects.requireNonNull(message, "message");
    }

    /** The real disk, where the {@code nth} call (1-based) of {@code operation} and every later one fail. */
    public static FaultyDisk failingFrom(Operation operation, int nth, String message) {
        AtomicInteger callsLeft = new AtomicInteger(nth);
        return new FaultyDisk(RealDisk.INSTANCE, operation, () -> callsLeft.decrementAndGet() <= 0, message);
    }

    /**
     * {@code disk}, where {@code operation} fails whenever {@code failing} says so when it is
     * called: a switch a test turns on to make a running WAL's disk die, or a condition on the
     * calling thread.
     */
    public static FaultyDisk failingWhile(Disk disk, Operation operation, BooleanSupplier failing, String message) {
        Objects.requireNonNull(failing, "failing");
        return new FaultyDisk(disk, operation, failing::getAsBoolean, message);
    }

    /** {@link #failingWhile(Disk, Operation, BooleanSupplier, String)} over the real disk. */
    public static FaultyDisk failingWhile(Operation operation, BooleanSupplier failing, String message) {
        return failingWhile(RealDisk.INSTANCE, operation, failing, message);
    }

    private void maybeFail(Operation operation, Path path) throws IOException {
        if (operation != failing || path.getFileName().toString().endsWith(".tmp") && !isDirectory(path)) {
            return;
        }
        if (trigger.fires()) {
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

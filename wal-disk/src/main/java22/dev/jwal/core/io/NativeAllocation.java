package dev.jwal.core.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reserving a file's blocks without writing them, with Linux's {@code fallocate(2)}, called
 * through the Foreign Function and Memory API (Java 22 and later; the Java 17 version of this
 * class cannot, and the WAL then writes zeros). The file is opened with {@code open(2)} for the
 * call and closed after it, before the WAL opens it: a descriptor closed later would drop the
 * locks the process holds on the file.
 *
 * <p>The JDK lets a library call native code only where the application allows it
 * ({@code --enable-native-access}); without that, this class does not call it at all, so that no
 * warning is printed and no future JDK refuses it: {@link #unavailableReason} says how to allow it.
 */
final class NativeAllocation {

    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_CLOEXEC = 02000000;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;
    private static final int EINTR = 4;
    private static final int F_SETLK = 6;
    private static final short F_WRLCK = 1;
    /** {@code struct flock} on 64-bit Linux: type, whence, start, length, pid. */
    private static final long FLOCK_BYTES = 32;

    private static final String UNAVAILABLE;
    private static final MethodHandle OPEN;
    private static final MethodHandle FTRUNCATE;
    private static final MethodHandle FALLOCATE;
    private static final MethodHandle CLOSE;
    private static final MethodHandle FCNTL;
    private static final StructLayout CALL_STATE;
    private static final VarHandle ERRNO;

    static {
        String unavailable = "";
        MethodHandle open = null;
        MethodHandle ftruncate = null;
        MethodHandle fallocate = null;
        MethodHandle close = null;
        MethodHandle fcntl = null;
        StructLayout callState = null;
        VarHandle errno = null;
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            unavailable = "fallocate is Linux's; this is " + System.getProperty("os.name");
        } else if (!NativeAllocation.class.getModule().isNativeAccessEnabled()) {
            unavailable = "native access is not enabled for jwal: start the JVM with"
                    + " --enable-native-access=ALL-UNNAMED (class path) or =dev.jwal.core (module path)";
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                Linker.Option errnoOption = Linker.Option.captureCallState("errno");
                callState = Linker.Option.captureStateLayout();
                errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT),
                        errnoOption, Linker.Option.firstVariadicArg(2));
                ftruncate = linker.downcallHandle(linker.defaultLookup().find("ftruncate").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                        errnoOption);
                fallocate = linker.downcallHandle(linker.defaultLookup().find("fallocate").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                        errnoOption);
                close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                fcntl = linker.downcallHandle(linker.defaultLookup().find("fcntl").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.ADDRESS),
                        Linker.Option.firstVariadicArg(2));
            } catch (RuntimeException e) {
                unavailable = "fallocate could not be linked: " + e;
            }
        }
        UNAVAILABLE = unavailable;
        OPEN = open;
        FTRUNCATE = ftruncate;
        FALLOCATE = fallocate;
        CLOSE = close;
        FCNTL = fcntl;
        CALL_STATE = callState;
        ERRNO = errno;
    }

    private NativeAllocation() {
    }

    /** Why {@link #allocate} cannot reserve blocks here; empty where it can. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * Empties the file at {@code path} (created if missing) and reserves {@code size} bytes of
     * blocks for it, which read as zeros; false where that cannot be done here (no native access,
     * a file system without {@code fallocate}, or a file another process has locked), leaving the
     * file as it was or empty. Must run
     * before this process opens the file otherwise: closing the descriptor it uses drops every
     * lock the process holds on the file.
     *
     * @throws IOException when the file cannot be opened or the blocks cannot be had (ENOSPC)
     */
    static boolean allocate(Path path, long size) throws IOException {
        if (!UNAVAILABLE.isEmpty()) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment name = arena.allocateFrom(path.toString());
            int fd = (int) OPEN.invokeExact(state, name, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
            if (fd < 0) {
                throw failure("opening", path, errno(state));
            }
            try {
                // Java's locks are these POSIX locks: a file another process holds is not emptied,
                // and the caller's own lock then fails as it would have.
                MemorySegment lock = arena.allocate(FLOCK_BYTES, 8);
                lock.set(ValueLayout.JAVA_SHORT, 0, F_WRLCK);
                if ((int) FCNTL.invokeExact(fd, F_SETLK, lock) != 0) {
                    return false;
                }
                if ((int) FTRUNCATE.invokeExact(state, fd, 0L) != 0) {
                    throw failure("emptying", path, errno(state));
                }
                while (true) {
                    if ((int) FALLOCATE.invokeExact(state, fd, 0, 0L, size) == 0) {
                        return true;
                    }
                    int error = errno(state);
                    if (error == EOPNOTSUPP || error == ENOSYS) {
                        return false;
                    }
                    if (error != EINTR) {
                        throw failure("reserving " + size + " bytes for", path, error);
                    }
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling fallocate for " + path, e);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static IOException failure(String action, Path path, int errno) {
        return new IOException(action + " " + path + " failed: errno " + errno
                + (errno == 28 ? " (no space left on the device)" : ""));
    }
}

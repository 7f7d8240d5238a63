package dev.jwal.core.io;

import java.nio.file.Path;

/**
 * Reserving a file's blocks without writing them, with Linux's {@code fallocate(2)}, as etcd
 * preallocates its segments. This is the Java 17 class, which cannot call it: the WAL then writes
 * zeros instead. On Java 22 and later the multi-release jar's own version of this class calls
 * {@code fallocate} through the Foreign Function and Memory API.
 */
final class NativeAllocation {

    private NativeAllocation() {
    }

    /** Why {@link #allocate} cannot reserve blocks here; empty where it can. */
    static String unavailableReason() {
        return "fallocate needs Java 22 or later (this is Java " + Runtime.version().feature() + ")";
    }

    /**
     * Empties the file at {@code path} (created if missing) and reserves {@code size} bytes of
     * blocks for it, which read as zeros; false where that cannot be done here, leaving the file
     * as it was. Must run before this process opens the file otherwise: closing the descriptor it
     * uses drops every lock the process holds on the file.
     */
    static boolean allocate(Path path, long size) {
        return false;
    }
}

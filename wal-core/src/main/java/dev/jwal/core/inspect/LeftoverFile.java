package dev.jwal.core.inspect;

/**
 * A file in a WAL directory that is not a segment.
 *
 * @param name its name
 * @param size its size in bytes
 * @param role what it most likely is
 */
public record LeftoverFile(String name, long size, Role role) {

    /** What a file that is not a segment is. */
    public enum Role {
        /**
         * A preallocated spare ({@code 0.tmp}, {@code 1.tmp}) that a writer keeps ready for the next
         * cut; harmless, removed on close, left behind by a crash.
         */
        SPARE,
        /** The copy of a segment that {@code repair} kept before cutting it ({@code *.broken}). */
        BROKEN_COPY,
        /**
         * The index files of sealed segments ({@value dev.jwal.core.WalDirectory#INDEX_DIRECTORY}, a
         * directory): a cache that speeds reads by index, safe to delete.
         */
        INDEX,
        /** Anything else: not written by jwal or etcd. */
        OTHER
    }
}

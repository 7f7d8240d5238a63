/**
 * jwal: a write-ahead log whose files are etcd's WAL. {@code dev.jwal.core} is the API
 * ({@code Wal}, {@code WalDirectory}, options, values and exceptions); {@code dev.jwal.core.log} is
 * the application log over it; {@code dev.jwal.core.inspect} is the operator's read-only view that
 * the command line and the Spring Boot starter show. The disk service-provider interface comes
 * from {@code dev.jwal.disk}. The engine packages ({@code dev.jwal.core.engine} and beneath) are
 * not exported.
 */
module dev.jwal.core {
    requires transitive dev.jwal.disk;

    exports dev.jwal.core;
    exports dev.jwal.core.inspect;
    exports dev.jwal.core.log;
}

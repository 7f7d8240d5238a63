/**
 * jwal's engine: a write-ahead log whose files are etcd's WAL. {@code dev.jwal.core} is the API
 * ({@code Wal}, its options, values and exceptions); {@code dev.jwal.core.inspect} is the
 * operator's read-only view that the command line and the Spring Boot starter show;
 * {@code dev.jwal.core.log} is the application log over it. The codec, segment and disk
 * packages are the engine's own and are not exported.
 */
module dev.jwal.core {
    exports dev.jwal.core;
    exports dev.jwal.core.inspect;
    exports dev.jwal.core.log;
}

/**
 * jwal: a write-ahead log whose directory is, byte for byte, etcd's WAL.
 *
 * <h2>A tour</h2>
 * A WAL is a directory of segment files ({@code 0000000000000000-0000000000000000.wal}, named by
 * sequence and first raft index), each a run of length-prefixed frames holding CRC-chained
 * records: entries, hard states, snapshot markers and the metadata the WAL was created with.
 *
 * <p>Create one and save to it:
 * <pre>{@code
 * try (Wal wal = Wal.create(dir, metadata)) {
 *     wal.save(new HardState(1, 0, 0), List.of(Entry.normal(1, 1, data)));
 * }
 * }</pre>
 * {@link dev.jwal.core.Wal#save} returns once the save is durable under the
 * {@link dev.jwal.core.SyncPolicy} of the {@link dev.jwal.core.WalOptions} (fdatasync'd, by
 * default). A segment that grows past the segment size is cut: the next one is renamed into place
 * from a preallocated spare.
 *
 * <p>After a restart, open the WAL at the snapshot the application holds and read what was saved
 * after it; that also readies the tail for appends:
 * <pre>{@code
 * Wal wal = Wal.open(dir, snapshot);
 * WalContents contents = wal.readAll();
 * }</pre>
 * A torn last record (a crash mid-write) is refused with
 * {@link dev.jwal.core.UnexpectedEofException} until {@link dev.jwal.core.WalDirectory#repair}
 * cuts it, keeping a {@code .broken} copy; any other damage is named by its own
 * {@link dev.jwal.core.WalCorruptionException} subtype, with the file and offset, and is never
 * cut automatically. When the application has compacted, {@link dev.jwal.core.Wal#saveSnapshot}
 * records it, {@link dev.jwal.core.Wal#releaseLockTo} lets go of the older segments and
 * {@link dev.jwal.core.Wal#purge} deletes them.
 *
 * <p>{@link dev.jwal.core.WalDirectory} acts on a directory without opening it: it says whether a
 * WAL is there, judges it ({@code examine} answers a {@link dev.jwal.core.WalVerdict};
 * {@code verifyOrThrow} throws), lists the snapshots a node may restart at, and repairs.
 *
 * <h2>Where things are</h2>
 * This package is the API: {@code Wal}, {@code WalDirectory}, options, values, listeners and the
 * typed exceptions, all under {@link dev.jwal.core.WalException}. {@code dev.jwal.core.log} is
 * the application log, {@code dev.jwal.core.inspect} the read-only record views for tools, and
 * {@code dev.jwal.core.io} the disk service-provider interface tests use to simulate a disk. The
 * engine below them, {@code dev.jwal.core.engine} and its packages, is not part of the API and
 * changes without notice.
 */
package dev.jwal.core;

/**
 * The disk a WAL stands on: a service-provider interface, as Lucene's {@code Directory} is.
 *
 * <p>Every file and directory operation of jwal goes through a {@link dev.jwal.core.io.Disk}, so
 * that a test can put something else in the place of {@link dev.jwal.core.io.RealDisk} with
 * {@code WalOptions.Builder.disk} (wal-core): a simulated disk that loses unsynced writes or
 * tears sectors, a disk whose fdatasync fails, a full device. {@link dev.jwal.core.io.ForwardingDisk}
 * passes every call on, so such a disk overrides only what it changes. The {@code wal-test}
 * artifact holds ready-made ones.
 *
 * <p>What an implementation must keep, because recovery depends on it: a write is visible to later
 * reads at once; {@link dev.jwal.core.io.DiskFile#sync()} returns only once the file's data is
 * durable; {@link dev.jwal.core.io.Disk#syncDirectory} makes creations, renames and deletions in
 * the directory durable; {@link dev.jwal.core.io.Disk#rename} is atomic and replaces nothing; a
 * failure is an {@link java.io.IOException}, after which jwal poisons the WAL and never retries
 * the sync. No method may be closed by an interrupt of its calling thread.
 */
package dev.jwal.core.io;

/**
 * An application log over a {@link dev.jwal.core.Wal}, for services that are not raft nodes:
 * append byte records, read them back by index, compact what the application has in its own
 * snapshot. The files stay etcd's WAL (one entry per record, term 1, the commit index advanced
 * with each append), so every tool, and etcd, reads them.
 */
package dev.jwal.core.log;

/**
 * Auto-configuration of jwal from {@code wal.*} properties: the {@code Wal} bean
 * ({@code wal.api=raft}, the default) or the {@code WalLog} bean ({@code wal.api=log}), created or
 * opened and recovered before anything can append, synced when the context stops.
 *
 * <p>What an application implements or sets lives here: {@link dev.jwal.spring.boot.autoconfigure.WalProperties}
 * (every {@code wal.*} property), {@link dev.jwal.spring.boot.autoconfigure.WalOptionsCustomizer}
 * (options no property reaches), {@link dev.jwal.spring.boot.autoconfigure.WalRecoveryHandler} and
 * {@link dev.jwal.spring.boot.autoconfigure.WalLogRecoveryHandler} (rebuild state at startup),
 * {@link dev.jwal.spring.boot.autoconfigure.WalSnapshotSelector} (the snapshot to open at). The
 * failure analysis of startup problems is here too. Health, meters and the endpoint are in
 * {@code dev.jwal.spring.boot.actuate}; jgroups-raft replication in {@code dev.jwal.spring.boot.raft}.
 */
package dev.jwal.spring.boot.autoconfigure;

package dev.jwal.core;

import java.nio.file.Path;

/**
 * Observes a {@link Wal} without wal-core depending on a metrics library: the Spring Boot starter
 * binds these callbacks to Micrometer meters. Callbacks run on the thread doing the work (the
 * WAL's log writer, or a caller writing its own save), one at a time, so they must be quick and
 * must not call back into the WAL. One that throws is logged and ignored: a broken meter does not
 * fail a write or poison the WAL. The default methods do nothing.
 */
public interface WalListener {

    /** A listener that ignores everything. */
    WalListener NONE = new WalListener() {
    };

    /** An fdatasync of a segment (or an fsync of the directory) took {@code nanos}. */
    default void synced(long nanos) {
    }

    /**
     * A sync took longer than {@link WalOptions#slowSyncThreshold()}; called in addition to
     * {@link #synced(long)}.
     */
    default void slowSync(long nanos) {
    }

    /** {@code bytes} were written to a segment in one write call that took {@code nanos}. */
    default void written(long bytes, long nanos) {
    }

    /** A {@link Wal#save} completed with {@code entries} entries. */
    default void saved(int entries) {
    }

    /**
     * Under {@link SyncPolicy#GROUP}, one fdatasync made {@code saves} saves durable; when it
     * began, {@code queued} callers (waiting saves and pending futures) were waiting for one.
     */
    default void groupCommitted(int saves, int queued) {
    }

    /** A new segment file became the tail. */
    default void segmentCut(Path segment) {
    }

    /** A write or sync failed: the WAL is poisoned from now on. */
    default void failed(WalException error) {
    }
}

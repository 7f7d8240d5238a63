package dev.jwal.sample;

import com.google.protobuf.ByteString;
import dev.jwal.core.log.WalLog;
import dev.jwal.sample.command.Delete;
import dev.jwal.sample.command.KvCommand;
import dev.jwal.sample.command.Put;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The key-value store: each write is a command in one record of the application log
 * ({@link WalLog}), appended (durable under the WAL's sync policy) before it is applied to the
 * in-memory {@link KvState} and acknowledged. Every {@code app.snapshot.interval} records the
 * state is copied and written to a snapshot file in the background; the log is then compacted to
 * it, keeping {@code wal.log.keep-segments} released segments.
 *
 * <p>Commands reach the log one at a time, under a lock (so that a delete sees the key it
 * removes); they are applied in index order once durable, so the map always equals the log
 * replayed to the last index applied. Under the {@code group} sync policy many requests wait for
 * one fdatasync together. Reads take no lock, and see a write once it is acknowledged.
 */
public class KvStore implements KvService, SmartLifecycle {

    /**
     * Stops after the web server (phase {@code DEFAULT_PHASE - 2048}) so no request is mid-write,
     * and before the WAL closes ({@code DEFAULT_PHASE - 4096}) so a running snapshot can finish.
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

    private static final Logger log = LoggerFactory.getLogger(KvStore.class);

    private final WalLog wal;
    private final KvState state;
    private final SnapshotFiles snapshots;
    private final SampleProperties.Snapshot settings;
    private final ExecutorService snapshotter = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "kv-snapshot");
        thread.setDaemon(true);
        return thread;
    });
    /** Written by the snapshot thread, read where commands are applied. */
    private volatile long lastSnapshotIndex;
    private final AtomicBoolean snapshotRunning = new AtomicBoolean();
    private volatile boolean running;

    public KvStore(WalLog wal, KvState state, SnapshotFiles snapshots, SampleProperties.Snapshot settings) {
        this.wal = wal;
        this.state = state;
        this.snapshots = snapshots;
        this.settings = settings;
        this.lastSnapshotIndex = state.restoredSnapshotIndex();
    }

    /**
     * Sets a key, returning once the write is durable and applied.
     *
     * @return the index of the entry that holds the write, and whether the key was new
     */
    @Override
    public Write put(String key, ByteString value) {
        KvCommand command = KvCommand.newBuilder().setPut(Put.newBuilder().setKey(key).setValue(value)).build();
        return await(submit(command));
    }

    /**
     * Removes a key, returning once the removal is durable and applied; a key that is not there
     * writes nothing.
     *
     * @return the removal's write, or empty when the key was not there
     */
    @Override
    public Optional<Write> delete(String key) {
        KvCommand command = KvCommand.newBuilder().setDelete(Delete.newBuilder().setKey(key)).build();
        // Checked in the log's own append order: no write comes between the check and the delete.
        return wal.appendAsyncIf(() -> state.contains(key), command.toByteArray(), index -> apply(index, command))
                .map(KvStore::await);
    }

    @Override
    public Optional<ByteString> get(String key) {
        return state.get(key);
    }

    /** Up to {@code limit} keys after {@code after} (from the first when null), in order. */
    @Override
    public List<java.util.Map.Entry<String, ByteString>> list(String after, int limit) {
        return state.list(after, limit);
    }

    /**
     * Hands the command to the log, whose append order is the only order writes need: the command
     * is applied once durable, in index order, by the log's in-order continuation; the wait for
     * durability holds no lock, so that under the {@code group} sync policy concurrent writes share
     * fdatasyncs.
     */
    private CompletableFuture<Write> submit(KvCommand command) {
        return wal.appendAsync(command.toByteArray(), index -> apply(index, command));
    }

    /** Runs in index order, one at a time: on the caller's thread or the WAL's completer. */
    private Write apply(long index, KvCommand command) {
        boolean created = command.hasPut() && !state.contains(command.getPut().getKey());
        state.apply(index, command);
        if (index - lastSnapshotIndex >= settings.getInterval() && running
                && snapshotRunning.compareAndSet(false, true)) {
            KvSnapshot snapshot = new KvSnapshot(index, WalLog.TERM, state.copy());
            snapshotter.execute(() -> snapshot(snapshot));
        }
        return new Write(index, created);
    }

    /** Waits for a write; a WAL failure is rethrown as itself, for the HTTP layer to answer. */
    private static Write await(CompletableFuture<Write> applied) {
        try {
            return applied.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void snapshot(KvSnapshot snapshot) {
        try {
            log.info("Snapshot at index {} started: {} keys", snapshot.index(), snapshot.values().size());
            // As etcd does: the file first, then the compaction that records it in the WAL, so
            // that the log never names a compaction point whose snapshot is not on disk.
            Path file = snapshots.write(snapshot);
            List<Path> purged = wal.compact(snapshot.index());
            List<Path> oldSnapshots = snapshots.retain(settings.getRetain());
            log.info("Snapshot at index {} written to {}; deleted {} older snapshot(s) and {} WAL segment(s)",
                    snapshot.index(), file.getFileName(), oldSnapshots.size(), purged.size());
        } catch (Exception e) {
            log.error("Snapshot at index {} failed; the next is tried {} entries on", snapshot.index(),
                    settings.getInterval(), e);
        } finally {
            lastSnapshotIndex = snapshot.index();
            snapshotRunning.set(false);
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        snapshotter.shutdown();
        try {
            if (!snapshotter.awaitTermination(1, TimeUnit.MINUTES)) {
                log.warn("A snapshot was still running at shutdown; the WAL closes under it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * An acknowledged write.
     *
     * @param index the log index of the record holding it
     * @param created whether it created the key
     */
    public record Write(long index, boolean created) {
    }
}

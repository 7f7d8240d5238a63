package dev.jwal.benchmarks;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves batches of entries with consecutive indexes, committing each, as a raft node's log grows.
 * Made by {@link #create} in a fresh folder under the directory measured, it removes that folder
 * when closed.
 */
final class SequentialLog implements AutoCloseable {

    private final Wal wal;
    private final Path home;
    private final List<Entry> batch = new ArrayList<>();
    private long next = 1;

    SequentialLog(Wal wal) {
        this(wal, null);
    }

    private SequentialLog(Wal wal, Path home) {
        this.wal = wal;
        this.home = home;
    }

    /** A new WAL with etcd's benchmark metadata in a fresh folder under {@code under}. */
    static SequentialLog create(String under, String prefix, WalOptions options) {
        Path home = BenchDirectory.create(under, prefix);
        return new SequentialLog(Wal.create(home.resolve("wal"), "somedata".getBytes(StandardCharsets.UTF_8), options),
                home);
    }

    Wal wal() {
        return wal;
    }

    /** One save of {@code count} entries, each holding {@code data}. */
    void save(byte[] data, int count) {
        batch.clear();
        for (int i = 0; i < count; i++) {
            batch.add(Entry.normal(1, next++, data));
        }
        wal.save(new HardState(1, 0, next - 1), batch);
    }

    /** Closes the WAL, and removes its folder when {@link #create} made it. */
    @Override
    public void close() {
        wal.close();
        BenchDirectory.delete(home);
    }
}

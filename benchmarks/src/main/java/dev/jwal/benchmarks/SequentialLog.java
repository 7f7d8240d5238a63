package dev.jwal.benchmarks;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import java.util.ArrayList;
import java.util.List;

/** Saves batches of entries with consecutive indexes, committing each, as a raft node's log grows. */
final class SequentialLog {

    private final Wal wal;
    private final List<Entry> batch = new ArrayList<>();
    private long next = 1;

    SequentialLog(Wal wal) {
        this.wal = wal;
    }

    /** One save of {@code count} entries, each holding {@code data}. */
    void save(byte[] data, int count) {
        batch.clear();
        for (int i = 0; i < count; i++) {
            batch.add(Entry.normal(1, next++, data));
        }
        wal.save(new HardState(1, 0, next - 1), batch);
    }
}

package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start, as written there, so that it keeps working. */
class QuickStartTest {

    @TempDir
    Path temp;

    private final List<Entry> applied = new ArrayList<>();

    private void apply(Entry entry) {
        applied.add(entry);
    }

    @Test
    void theReadmeQuickStartRuns() throws Exception {
        Path dir = temp.resolve("data/wal");
        WalOptions options = WalOptions.builder()
                .syncPolicy(SyncPolicy.ALWAYS)
                .build();

        if (!Files.exists(dir)) {
            try (Wal wal = Wal.create(dir, "node-1".getBytes(), options)) {
                wal.save(new HardState(1, 1, 0), List.of(Entry.normal(1, 1, "hello".getBytes())));
            }
        }

        List<WalSnapshot> snapshots = WalDirectory.validSnapshotEntries(dir);
        WalSnapshot at = snapshots.get(snapshots.size() - 1);
        try (Wal wal = Wal.open(dir, at, options)) {
            WalContents recovered = wal.readAll();
            recovered.entries().forEach(e -> apply(e));
            wal.save(new HardState(1, 1, 1), List.of(Entry.normal(1, 2, "world".getBytes())));
            wal.saveSnapshot(WalSnapshot.of(1, 1));
            wal.releaseLockTo(1);
        }

        assertThat(applied).containsExactly(Entry.normal(1, 1, "hello".getBytes()));
        assertThat(WalDirectory.validSnapshotEntries(dir)).containsExactly(WalSnapshot.ZERO, WalSnapshot.of(1, 1));
        try (Wal wal = Wal.openForRead(dir, WalSnapshot.of(1, 1))) {
            assertThat(wal.readAll().entries()).containsExactly(Entry.normal(1, 2, "world".getBytes()));
        }
    }
}

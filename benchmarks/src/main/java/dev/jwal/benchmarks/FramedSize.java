package dev.jwal.benchmarks;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes a WAL file takes per entry of {@link AppendBenchmark}'s saves (100 entries of one size
 * and a hard state each), framing and padding included, read off {@code WalStatus.bytesWritten}
 * after writing some. The same bytes in etcd's files: what turns a bandwidth ceiling into the
 * most entries/s any writer of this format can reach on the disk.
 */
final class FramedSize {

    private FramedSize() {
    }

    static double bytesPerEntry(String under, int size) {
        Path home = BenchDirectory.create(under, "jwal-framed-size");
        int saves = Math.max(10, (int) ((8L << 20) / (100L * size)));
        try (Wal wal = Wal.create(home.resolve("wal"), "somedata".getBytes(StandardCharsets.UTF_8),
                WalOptions.builder().syncPolicy(SyncPolicy.NONE).build())) {
            byte[] data = new byte[size];
            List<Entry> batch = new ArrayList<>();
            long next = 1;
            long before = wal.status().bytesWritten();
            for (int s = 0; s < saves; s++) {
                batch.clear();
                for (int i = 0; i < 100; i++) {
                    batch.add(Entry.normal(1, next++, data));
                }
                wal.save(new HardState(1, 0, next - 1), batch);
            }
            wal.sync();
            return (wal.status().bytesWritten() - before) / (double) (saves * 100L);
        } finally {
            BenchDirectory.delete(home);
        }
    }
}

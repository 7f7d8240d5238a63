package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test data shared by the WAL tests. */
public final class WalFixtures {

    public static final byte[] METADATA = "node-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private WalFixtures() {
    }

    /** Small segments, no fsync: many cuts, fast tests, etcd's bytes all the same. */
    static WalOptions.Builder small() {
        return WalOptions.builder().segmentSize(4096).syncPolicy(SyncPolicy.NONE)
                .preallocate(false);
    }

    /** Entries {@code from..to} in {@code term}, each with {@code size} bytes of data. */
    static List<Entry> entries(long term, long from, long to, int size) {
        List<Entry> entries = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            byte[] data = new byte[size];
            new SplittableRandom(i * 31 + term).nextBytes(data);
            entries.add(Entry.normal(term, i, data));
        }
        return entries;
    }

    /**
     * What a restarting node reads back; whether it had to repair a torn tail first; and what an
     * operator discarded when the node refused damage with readable records after it.
     */
    record Recovered(WalContents contents, boolean repaired, ReadableRecords discarded) {
    }

    /**
     * Opens a WAL as a restarting node does: open and read; on a torn tail, repair and open again.
     * The WAL is closed afterwards.
     */
    static Recovered recover(java.nio.file.Path dir, WalOptions options) {
        try (Wal wal = Wal.open(dir, WalSnapshot.ZERO, options)) {
            return new Recovered(wal.readAll(), false, ReadableRecords.NONE);
        } catch (UnexpectedEofException torn) {
            ReadableRecords discarded = ReadableRecords.NONE;
            if (torn.isTornTail()) {
                WalDirectory.repair(dir, options);
            } else {
                // The node refuses; the refusal must hold in repair too, and the test goes on as an
                // operator would, so that its checks show whether anything acknowledged was lost.
                assertThatThrownBy(() -> WalDirectory.repair(dir, options)).isInstanceOf(torn.getClass());
                discarded = WalDirectory.repairDiscardingReadable(dir, options).discarded();
            }
            try (Wal wal = Wal.open(dir, WalSnapshot.ZERO, options)) {
                return new Recovered(wal.readAll(), true, discarded);
            }
        }
    }
}

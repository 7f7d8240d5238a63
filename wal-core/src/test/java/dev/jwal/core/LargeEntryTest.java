package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd since 3.5.5 reads frames of any size that fits the segment; jwal does by default, writes
 * one only when {@code maxRecordSize} is raised for it, and keeps 3.4's limit as an option.
 */
class LargeEntryTest {

    private static final int ELEVEN_MIB = 11 * 1024 * 1024;

    @TempDir
    Path temp;

    @Test
    void anElevenMibEntryWrittenWithARaisedLimitReadsBackAndIsTooLargeForEtcd34() {
        Path dir = temp.resolve("wal");
        byte[] data = new byte[ELEVEN_MIB];
        new SplittableRandom(11).nextBytes(data);
        Entry large = Entry.normal(1, 2, data);
        WalOptions defaults = WalOptions.builder().preallocate(false).build();
        try (Wal wal = Wal.create(dir, null, defaults)) {
            wal.save(new HardState(1, 1, 1), List.of(Entry.normal(1, 1, new byte[10])));
            assertThatThrownBy(() -> wal.save(HardState.EMPTY, List.of(large)))
                    .as("the default write limit is 10 MiB, which every etcd reads")
                    .isInstanceOf(RecordTooLargeException.class);
        }
        WalOptions raised = defaults.toBuilder().maxRecordSize(16 * 1024 * 1024).build();
        try (Wal wal = Wal.open(dir, WalSnapshot.ZERO, raised)) {
            wal.readAll();
            wal.save(new HardState(1, 1, 2), List.of(large));
        }
        // Read back with the default options: the limit bounds writes, the file bounds reads.
        try (Wal wal = Wal.open(dir, WalSnapshot.ZERO)) {
            List<Entry> entries = wal.readAll().entries();
            assertThat(entries).hasSize(2);
            assertThat(entries.get(1)).isEqualTo(large);
            assertThat(wal.entries(2, 3)).containsExactly(large);
        }
        assertThat(WalDirectory.examine(dir, WalOptions.defaults()).kind()).isEqualTo(WalVerdict.Kind.CLEAN);
        WalOptions etcd34 = WalOptions.builder().frameRule(FrameRule.ETCD_3_4).build();
        assertThatThrownBy(() -> WalDirectory.verifyOrThrow(dir, WalSnapshot.ZERO, etcd34)).isInstanceOf(FrameTooLargeException.class);
        assertThat(WalDirectory.examine(dir, etcd34).kind()).isEqualTo(WalVerdict.Kind.CORRUPT);
    }
}

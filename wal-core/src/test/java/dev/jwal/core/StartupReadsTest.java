package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.log.LogRecord;
import dev.jwal.core.log.LogRecoveryHandler;
import dev.jwal.core.log.WalLog;
import dev.jwal.test.ReadCountingDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How much startup reads, counted by a disk: each record at most twice, once to find the snapshot
 * a node may open at ({@link WalDirectory#validSnapshotEntries}) and once to replay what follows
 * it, handing it over in the same pass, whichever API opens the directory. Besides the records,
 * opening for appends reads the unused rest of the tail segment (less than a segment), which tells
 * a torn tail from damage with readable records after it.
 */
class StartupReadsTest {

    private static final int RECORDS = 3_000;
    private static final long SEGMENT = 64 * 1024;

    @TempDir
    Path temp;

    /** The reads startup's caller makes and waits for; the WAL's background checks of sealed segments aside. */
    private final ReadCountingDisk disk = new ReadCountingDisk().countingOnly(Thread.currentThread());

    private WalOptions options() {
        return WalOptions.builder().segmentSize(SEGMENT).syncPolicy(SyncPolicy.NONE).disk(disk).build();
    }

    /** What one pass over every segment reads: the snapshot scan alone. */
    private long onePass(Path dir) {
        disk.reset();
        WalDirectory.validSnapshotEntries(dir, options());
        return disk.bytesRead();
    }

    @Test
    void theApplicationLogHandsEveryRecordOverInTheReadThatChecksIt() {
        Path dir = temp.resolve("log");
        try (WalLog log = WalLog.open(dir, options())) {
            for (int i = 1; i <= RECORDS; i++) {
                log.append(("record " + i).getBytes());
            }
        }
        long pass = onePass(dir);
        disk.reset();
        List<Long> handedOver = new ArrayList<>();
        try (WalLog log = WalLog.open(WalStartup.in(dir, options()), 5, new LogRecoveryHandler() {
            @Override
            public void record(LogRecord record) {
                handedOver.add(record.index());
            }
        })) {
            assertThat(log.lastIndex()).isEqualTo(RECORDS);
        }
        assertThat(handedOver).hasSize(RECORDS).first().isEqualTo(1L);
        assertThat(handedOver.get(RECORDS - 1)).isEqualTo((long) RECORDS);
        assertThat(disk.bytesRead()).as("bytes read by the open, against one pass of %d", pass)
                .isLessThanOrEqualTo(2 * pass + SEGMENT);
    }

    @Test
    void aRaftNodesStartupReadsEachRecordAtMostTwiceAndHandsEachEntryOverOnce() {
        Path dir = temp.resolve("raft");
        try (Wal wal = Wal.create(dir, "node-1".getBytes(), options())) {
            for (int i = 1; i <= RECORDS; i++) {
                wal.save(new HardState(1, 1, i), List.of(Entry.normal(1, i, ("entry " + i).getBytes())));
            }
        }
        long pass = onePass(dir);
        disk.reset();
        List<Long> handedOver = new ArrayList<>();
        WalStartup.Started started = WalStartup.in(dir, options()).start(new WalStartup.Handler() {
            @Override
            public void entry(Entry entry) {
                handedOver.add(entry.index());
            }

            @Override
            public void truncated(long index) {
                handedOver.removeIf(i -> i >= index);
            }
        });
        try (Wal wal = started.wal()) {
            assertThat(started.created()).isFalse();
            assertThat(wal.lastIndex()).isEqualTo(RECORDS);
        }
        assertThat(handedOver).hasSize(RECORDS);
        assertThat(disk.bytesRead()).as("bytes read by the open, against one pass of %d", pass)
                .isLessThanOrEqualTo(2 * pass + SEGMENT);
    }
}

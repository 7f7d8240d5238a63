package dev.jwal.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalContents;
import dev.jwal.core.WalException;
import dev.jwal.core.WalFixtures;
import dev.jwal.core.WalIoException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalPoisonedException;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.ForwardingDisk;
import dev.jwal.test.FaultyDisk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under NONE and INTERVAL a large segment's unsynced bytes are handed to the disk while it fills
 * ({@link TailWriteback}), so that the fdatasync a cut needs does not stop the log writer for a
 * whole segment. It claims no durability, so what matters is that it runs off the writer, changes
 * no byte, and that a failure of its fdatasync poisons the WAL as any other would.
 */
class TailWritebackTest {

    private static final int SEGMENT = 8 << 20;
    private static final byte[] DATA = new byte[64 * 1024];

    @TempDir
    Path temp;

    /** Records which thread fdatasynced which file; the writeback's fdatasyncs fail once asked to. */
    static final class WatchedDisk extends ForwardingDisk {
        final ConcurrentLinkedQueue<String> syncs = new ConcurrentLinkedQueue<>();
        final AtomicBoolean failWriteback;

        WatchedDisk() {
            this(new AtomicBoolean());
        }

        private WatchedDisk(AtomicBoolean failWriteback) {
            super(FaultyDisk.failingWhile(FaultyDisk.Operation.SYNC,
                    () -> failWriteback.get() && Thread.currentThread().getName().startsWith("jwal-writeback"),
                    "Input/output error"));
            this.failWriteback = failWriteback;
        }

        @Override
        protected DiskFile wrap(DiskFile file) {
            return new ForwardingDiskFile(file) {
                @Override
                public void sync() throws IOException {
                    syncs.add(Thread.currentThread().getName().split(" ")[0] + " " + path().getFileName());
                    super.sync();
                }
            };
        }

        List<String> syncsBy(String thread) {
            List<String> files = new ArrayList<>();
            for (String sync : syncs) {
                if (sync.startsWith(thread + " ")) {
                    files.add(sync.substring(thread.length() + 1));
                }
            }
            return files;
        }
    }

    @Test
    void segmentsAreWrittenBackWhileTheyFillAndReadBackWhole() {
        WatchedDisk disk = new WatchedDisk();
        Path dir = temp.resolve("wal");
        long last = 0;
        try (Wal wal = Wal.create(dir, WalFixtures.METADATA, options(SyncPolicy.NONE, disk))) {
            // 12 MiB of entries: the first segment fills and is cut, the second is half full
            for (int save = 0; save < 24; save++) {
                List<Entry> entries = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    entries.add(Entry.normal(1, ++last, DATA));
                }
                wal.save(new HardState(1, 0, last), entries);
            }
        }
        List<String> writtenBack = disk.syncsBy("jwal-writeback");
        assertThat(writtenBack).as("writebacks of the first segment, by file").contains(
                "0000000000000000-0000000000000000.wal");
        assertThat(disk.syncsBy("jwal-writer")).as("the writer syncs only at cuts and the close").hasSizeLessThan(8);
        WalContents contents = Wal.openForRead(dir, WalSnapshot.ZERO).readAll();
        assertThat(contents.entries()).hasSize((int) last);
        assertThat(contents.entries().get((int) last - 1).data()).isEqualTo(DATA);
    }

    @Test
    void aFailedWritebackPoisonsTheWalNamingTheSegment() {
        WatchedDisk disk = new WatchedDisk();
        disk.failWriteback.set(true);
        Path dir = temp.resolve("wal");
        Wal wal = Wal.create(dir, WalFixtures.METADATA, options(SyncPolicy.NONE, disk));
        long last = 0;
        WalException failure = null;
        for (int save = 0; save < 200 && failure == null; save++) {
            try {
                wal.save(new HardState(1, 0, last + 1), List.of(Entry.normal(1, last + 1, DATA)));
                last++;
            } catch (WalException e) {
                failure = e;
            }
        }
        assertThat(failure).isInstanceOf(WalIoException.class)
                .hasMessageContaining("0000000000000000-0000000000000000.wal")
                .hasMessageContaining("written back while appending")
                .hasMessageContaining("Input/output error");
        assertThat(wal.status().poisonCause()).isPresent();
        long next = last + 2;
        assertThatThrownBy(() -> wal.save(HardState.EMPTY, List.of(Entry.normal(1, next, DATA))))
                .isInstanceOf(WalPoisonedException.class);
        wal.close();
        assertThat(disk.syncsBy("jwal-writeback")).as("never retried").hasSize(1);
        // Nothing was promised durable; what is in the files reads back as a log.
        assertThat(Wal.openForRead(dir, WalSnapshot.ZERO).readAll().entries()).hasSizeGreaterThanOrEqualTo((int) last);
    }

    @Test
    void policiesThatSyncEverySaveAndSmallSegmentsGetNoWriteback() {
        for (WalOptions options : List.of(options(SyncPolicy.ALWAYS, new WatchedDisk()),
                WalOptions.builder().syncPolicy(SyncPolicy.NONE).segmentSize(1 << 20).preallocate(false)
                        .disk(new WatchedDisk()).build())) {
            WatchedDisk disk = (WatchedDisk) options.disk();
            Path dir = temp.resolve("wal-" + options.syncPolicy() + "-" + options.segmentSize());
            try (Wal wal = Wal.create(dir, WalFixtures.METADATA, options)) {
                for (long i = 1; i <= 40; i++) {
                    wal.save(new HardState(1, 0, i), List.of(Entry.normal(1, i, DATA)));
                }
            }
            assertThat(disk.syncsBy("jwal-writeback")).isEmpty();
        }
    }

    private static WalOptions options(SyncPolicy policy, WatchedDisk disk) {
        return WalOptions.builder().syncPolicy(policy).segmentSize(SEGMENT).preallocate(false).disk(disk).build();
    }
}

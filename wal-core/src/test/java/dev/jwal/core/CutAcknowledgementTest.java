package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.io.ForwardingDisk;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save that fills its segment is acknowledged once the tail is cut to its records and synced,
 * which makes it durable; the rest of the cut (the next segment's header, its sync, the rename,
 * the directory's sync) follows off the saving caller's path, so a cut costs its save one
 * fdatasync, not three. The files end up as etcd's all the same.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CutAcknowledgementTest {

    private static final long SEGMENT = 4096;

    @TempDir
    Path temp;

    /** The real disk, where renaming a spare into place waits, while gated, until released. */
    static final class RenameGate extends ForwardingDisk {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        volatile boolean closed;
        volatile Thread renaming;

        RenameGate() {
            super(RealDisk.INSTANCE);
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            if (closed && to.getFileName().toString().endsWith(".wal")) {
                renaming = Thread.currentThread();
                GroupCommitTest.GatedDisk.pass(entered, gate);
            }
            super.rename(from, to);
        }
    }

    @Test
    void aSaveThatFillsItsSegmentReturnsBeforeTheNextSegmentIsOpened() throws Exception {
        RenameGate disk = new RenameGate();
        Path dir = temp.resolve("wal");
        WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.ALWAYS).segmentSize(SEGMENT)
                .preallocate(false).disk(disk).build();
        List<Entry> saved = new ArrayList<>();
        try (Wal wal = Wal.create(dir, WalFixtures.METADATA, options)) {
            Path first = wal.openSegments().get(0);
            assertThat(first).as("published after the directory's rename").isEqualTo(
                    dir.toAbsolutePath().resolve("0000000000000000-0000000000000000.wal"));
            disk.closed = true;
            long index = 0;
            // As etcd's, a cut follows the save after the one whose records passed the segment
            // size (the file offset flushed before a save decides); the file grows past its
            // size only then, so the save after that is the one that fills the segment.
            boolean filling = false;
            while (!filling) {
                filling = Files.size(first) > SEGMENT;
                index++;
                List<Entry> entries = WalFixtures.entries(1, index, index, 700);
                wal.save(new HardState(1, 0, index), entries);
                saved.addAll(entries);
            }
            // The filling save returned while the next segment's rename is held.
            assertThat(disk.entered.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(disk.renaming).isNotEqualTo(Thread.currentThread());
            assertThat(wal.status().durableIndex()).isEqualTo(index);
            assertThat(wal.openSegments()).containsExactly(first);

            disk.gate.countDown();
            index++;
            List<Entry> next = WalFixtures.entries(1, index, index, 700);
            wal.save(new HardState(1, 0, index), next);
            saved.addAll(next);
            assertThat(wal.openSegments()).hasSize(2);
        }
        try (Wal wal = Wal.open(dir, WalSnapshot.ZERO, WalOptions.builder().build())) {
            assertThat(wal.readAll().entries()).isEqualTo(saved);
        }
    }
}

package dev.jwal.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pacing arithmetic, on a clock the test moves and with waits it records instead of taking. */
class PacedDiskTest {

    private long now;
    private final List<Long> waits = new ArrayList<>();
    private final PacedDisk.Pacer pacer = new PacedDisk.Pacer(1_000_000, () -> now, waits::add);

    @Test
    void aBurstPassesThenReadsWaitForTheRate() {
        pacer.paid(PacedDisk.Pacer.BURST_BYTES);
        assertThat(waits).as("the first megabyte is the burst").isEmpty();
        pacer.paid(500_000);
        assertThat(waits).containsExactly(500_000_000L);
        now += 500_000_000L;
        pacer.paid(250_000);
        assertThat(waits).containsExactly(500_000_000L, 250_000_000L);
    }

    @Test
    void timeSpentIdleRefillsTheBurstButNoMore() {
        pacer.paid(PacedDisk.Pacer.BURST_BYTES + 1_000_000);
        waits.clear();
        now += 60_000_000_000L;
        pacer.paid(PacedDisk.Pacer.BURST_BYTES);
        assertThat(waits).as("a minute idle buys one burst, not a minute's worth").isEmpty();
        pacer.paid(100_000);
        assertThat(waits).containsExactly(100_000_000L);
    }

    @Test
    void readsThroughFilesOpenedForReadingArePaced(@TempDir Path temp) throws IOException {
        Path file = temp.resolve("segment");
        Files.write(file, new byte[3 << 20]);
        PacedDisk disk = new PacedDisk(RealDisk.INSTANCE, pacer);
        try (DiskFile read = disk.openForRead(file)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < 3 << 20; at += buffer.capacity()) {
                buffer.clear();
                read.read(buffer, at);
            }
        }
        // three mebibytes at 1 MB/s after a one-mebibyte burst, on a clock that does not move:
        // the second read is a mebibyte ahead of the rate, the third two
        assertThat(waits).containsExactly(1_048_576_000L, 2_097_152_000L);
    }

    @Test
    void aPaceMustBePositive() {
        assertThatThrownBy(() -> new PacedDisk.Pacer(0, () -> 0, nanos -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

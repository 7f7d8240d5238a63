package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.test.SimulatedDisk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An I/O error while reading (EIO, a bad sector) is a typed error naming the file and the offset
 * of the read, everywhere: never the end of the log, never a clean verdict, never a repair.
 */
class ReadErrorTest {

    private static final Path DIR = Path.of("/sim/wal");

    @ParameterizedTest(name = "a bad sector in segment {0} of 4")
    @ValueSource(ints = {0, 2, 3})
    void aReadErrorIsNamedByEveryEntryPointAndChangesNothing(int segment) throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        WalOptions options = WalOptions.builder().segmentSize(4096).disk(disk).build();
        try (Wal wal = Wal.create(DIR, WalFixtures.METADATA, options)) {
            for (long i = 1; i <= 40; i++) {
                wal.save(new HardState(1, 1, i), WalFixtures.entries(1, i, i, 300));
            }
        }
        List<SegmentName> names = SegmentDirectory.list(disk, DIR);
        assertThat(names).hasSizeGreaterThanOrEqualTo(4);
        Path bad = DIR.resolve(names.get(segment).fileName());
        byte[] before = disk.contents(bad);
        disk.unreadableSector(bad, 1024);

        WalVerdict verdict = WalDirectory.examine(DIR, options);
        assertThat(verdict.kind()).isEqualTo(WalVerdict.Kind.CANNOT_READ);
        assertThat(verdict.problem()).isInstanceOf(WalIoException.class).hasMessageContaining("Input/output error");
        assertThat(verdict.problem().file()).hasValue(bad);
        assertThat(verdict.problem().offset()).isBetween(0L, 1024L);
        assertThat(WalDirectory.examine(DIR, WalSnapshot.ZERO, options).kind()).isEqualTo(WalVerdict.Kind.CANNOT_READ);

        WalIoException atStartup = catchThrowableOfType(WalIoException.class, () -> {
            try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
                wal.readAll();
            }
        });
        assertThat(atStartup.file()).hasValue(bad);
        assertThatThrownBy(() -> {
            try (Wal wal = Wal.openForRead(DIR, WalSnapshot.ZERO, options)) {
                wal.readAll();
            }
        }).as("etcd's read mode ends at a torn tail, never at a read error").isInstanceOf(WalIoException.class);
        assertThatThrownBy(() -> WalDirectory.verifyOrThrow(DIR, WalSnapshot.ZERO, options)).isInstanceOf(WalIoException.class);
        assertThatThrownBy(() -> WalDirectory.validSnapshotEntries(DIR, options)).isInstanceOf(WalIoException.class);
        assertThatThrownBy(() -> WalDirectory.repair(DIR, options)).isInstanceOf(WalIoException.class);
        assertThatThrownBy(() -> WalDirectory.repairDiscardingReadable(DIR, options)).isInstanceOf(WalIoException.class);
        assertThat(disk.contents(bad)).isEqualTo(before);
        assertThat(disk.list(DIR)).noneMatch(name -> name.endsWith(".broken"));
    }
}

package dev.jwal.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.test.SimulatedDisk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The WAL's readers over arbitrary directory contents: one to three segment files of any bytes,
 * under valid names. {@code readAll}, {@code verify}, {@code validSnapshotEntries} and
 * {@code repair} (then {@code readAll} again) may fail, but only with a typed
 * {@link WalException}: never another exception, an out-of-memory error or a hang (Jazzer
 * reports those). {@code verify} runs the stored inputs as a regression; fuzzing, for ten minutes:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl wal-core test -Dtest=WalDirectoryFuzzTest}.
 */
class WalDirectoryFuzzTest {

    private static final Path DIR = Path.of("/fuzz/wal");

    @FuzzTest(maxDuration = "10m")
    void readersFailOnlyWithTypedErrors(FuzzedDataProvider data) {
        SimulatedDisk disk = new SimulatedDisk();
        WalOptions options = WalOptions.builder().disk(disk).maxRecordSize(1 << 20).segmentSize(4096)
                .preallocate(false).build();
        try {
            disk.createDirectories(DIR);
            int files = data.consumeInt(1, 3);
            long firstIndex = 0;
            for (int i = 0; i < files; i++) {
                byte[] contents = i == files - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(data.consumeInt(0, 4096));
                Path file = DIR.resolve(String.format("%016x-%016x.wal", i, firstIndex));
                firstIndex += data.remainingBytes() > 0 ? data.consumeInt(0, 50) : 1;
                try (var handle = disk.openForWrite(file, true)) {
                    handle.write(ByteBuffer.wrap(contents), 0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        typedOnly(() -> {
            try (Wal wal = Wal.openForRead(DIR, WalSnapshot.ZERO, options)) {
                wal.readAll();
            }
        });
        typedOnly(() -> WalDirectory.verifyOrThrow(DIR, WalSnapshot.ZERO, options));
        typedOnly(() -> {
            List<WalSnapshot> snapshots = WalDirectory.validSnapshotEntries(DIR, options);
            for (WalSnapshot snapshot : snapshots) {
                try (Wal wal = Wal.openForRead(DIR, snapshot, options)) {
                    wal.readAll();
                }
            }
        });
        typedOnly(() -> {
            WalDirectory.repair(DIR, options);
            try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
                wal.readAll();
            }
        });
    }

    private static void typedOnly(Runnable reader) {
        try {
            reader.run();
        } catch (WalException expected) {
            // a typed, named failure is the contract
        }
    }
}

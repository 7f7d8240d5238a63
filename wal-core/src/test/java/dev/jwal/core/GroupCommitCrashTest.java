package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.test.SimulatedDisk.CrashMode;
import dev.jwal.test.SimulatedDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writers save concurrently under {@link SyncPolicy#GROUP}, through {@code saveAsync} and
 * {@code save}, until the simulated disk loses power at a random operation; after the crash every
 * save that was acknowledged reads back with its bytes, and nothing reads back that was not saved.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GroupCommitCrashTest {

    private static final Path DIR = Path.of("/sim/wal");
    private static final int WRITERS = 4;
    private static final int SAVES_PER_WRITER = 150;

    static LongStream seeds() {
        return LongStream.range(0, 60).map(i -> 0x6A77_0000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyAcknowledgedSaveSurvivesAPowerLoss(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        SimulatedDisk disk = new SimulatedDisk();
        WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.GROUP).segmentSize(8 * 1024)
                .preallocate(random.nextBoolean()).callerWrites(seed % 2 == 0).disk(disk).build();
        Map<Long, byte[]> saved = new ConcurrentHashMap<>();
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        Object order = new Object();
        long[] next = {1};

        Wal wal = Wal.create(DIR, WalFixtures.METADATA, options);
        disk.powerLossAfter(20 + random.nextInt(400));
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            boolean waitsInSave = w == 0;
            SplittableRandom own = random.split();
            writers.add(CompletableFuture.runAsync(() -> {
                for (int n = 0; n < SAVES_PER_WRITER; n++) {
                    long index;
                    CompletableFuture<Void> durable;
                    try {
                        synchronized (order) {
                            index = next[0]++;
                            byte[] data = new byte[1 + own.nextInt(600)];
                            own.nextBytes(data);
                            saved.put(index, data);
                            List<Entry> entry = List.of(Entry.normal(1, index, data));
                            if (waitsInSave) {
                                wal.save(new HardState(1, 1, index), entry);
                                durable = CompletableFuture.completedFuture(null);
                            } else {
                                durable = wal.saveAsync(new HardState(1, 1, index), entry);
                            }
                        }
                        durable.join();
                        acknowledged.add(index);
                    } catch (RuntimeException powerLost) {
                        return;
                    }
                }
            }));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(4, TimeUnit.MINUTES);
        disk.cutPower();
        wal.engine.abandon();
        CrashMode mode = CrashMode.values()[random.nextInt(CrashMode.values().length)];
        disk.crash(mode, seed);

        String context = "seed " + seed + ", crash " + mode + ", " + acknowledged.size() + " acknowledged";
        List<Entry> recovered;
        try {
            recovered = reopen(disk);
        } catch (WalException e) {
            throw new AssertionError(context + ": the WAL does not open after the crash", e);
        }
        for (int i = 0; i < recovered.size(); i++) {
            Entry entry = recovered.get(i);
            assertThat(entry.index()).as(context).isEqualTo(i + 1);
            assertThat(entry.data()).as("%s: entry %d", context, entry.index()).isEqualTo(saved.get(entry.index()));
        }
        for (long index : acknowledged) {
            assertThat(index).as("%s: acknowledged entry %d lost", context, index).isLessThanOrEqualTo(recovered.size());
        }
    }

    static List<Entry> reopen(SimulatedDisk disk) {
        return WalFixtures.recover(DIR, WalOptions.builder().disk(disk).build()).contents().entries();
    }
}

package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.test.SimulatedDisk.CrashMode;
import dev.jwal.test.SimulatedDisk;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An I/O error from a write, fdatasync, preallocation, truncation, rename or directory fsync at
 * a random call, or a disk that fills up: the WAL is poisoned at the first failed write or sync
 * (every later call fails naming the cause, and nothing is retried), no save was acknowledged that
 * was not durable, and after the power goes too, what was durable still opens.
 */
class FaultInjectionTest {

    private static final SimulatedDisk.Op[] FAULTS = {SimulatedDisk.Op.WRITE, SimulatedDisk.Op.SYNC,
            SimulatedDisk.Op.EXTEND, SimulatedDisk.Op.TRUNCATE, SimulatedDisk.Op.RENAME, SimulatedDisk.Op.SYNC_DIRECTORY};

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 400);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aFailedWriteOrSyncPoisonsAndLosesNothingDurable(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SimulatedDisk disk = new SimulatedDisk();
        SyncPolicy policy = random.nextBoolean() ? SyncPolicy.ALWAYS : SyncPolicy.GROUP;
        WalOptions options = WalOptions.builder().syncPolicy(policy).segmentSize(new long[] {1024, 4096}[random.nextInt(2)])
                .preallocate(random.nextBoolean()).disk(disk).build();
        Wal wal = Wal.create(PowerLossTest.DIR, WalFixtures.METADATA, options);
        String fault;
        if (random.nextInt(4) == 0) {
            long capacity = 8_192 + random.nextInt(40_000);
            disk.capacity(capacity);
            fault = "No space left on device";
        } else {
            SimulatedDisk.Op op = FAULTS[random.nextInt(FAULTS.length)];
            fault = "injected " + op + " failure";
            disk.failOn(op, 1 + random.nextInt(40), fault);
        }
        RaftLogModel model = new RaftLogModel();
        Map<Long, Set<Entry>> saved = new HashMap<>();
        List<Entry> durableLog = List.of();
        HardState durableState = HardState.EMPTY;
        WalException failure = null;
        for (int step = 0; step < 200 && failure == null; step++) {
            try {
                if (random.nextInt(10) < 8) {
                    RaftLogModel.Save save = model.nextSave(random, false);
                    for (Entry entry : save.entries()) {
                        saved.computeIfAbsent(entry.index(), i -> new HashSet<>()).add(entry);
                    }
                    wal.save(save.state(), save.entries());
                    model.apply(save.state(), save.entries());
                    if (!save.mustSync()) {
                        continue;
                    }
                } else {
                    wal.sync();
                }
                durableLog = List.copyOf(model.log);
                durableState = model.state;
            } catch (WalException e) {
                failure = e;
            }
        }
        String context = "seed " + seed + ", " + policy + ", " + fault;
        if (failure != null) {
            assertThat(failure).as(context).hasStackTraceContaining(fault);
            assertThat(wal.poisonCause()).as("%s: poisoned", context).isPresent();
            assertThatThrownBy(() -> wal.save(new HardState(99, 1, 0), List.of())).as(context)
                    .isInstanceOf(WalPoisonedException.class).hasMessageContaining(fault);
            assertThatThrownBy(wal::sync).as(context).isInstanceOf(WalPoisonedException.class);
            assertThatThrownBy(() -> wal.saveSnapshot(WalSnapshot.ZERO)).as(context)
                    .isInstanceOf(WalPoisonedException.class);
            assertThat(wal.saveAsync(new HardState(99, 1, 0), List.of(Entry.normal(99, 1, new byte[1]))))
                    .as(context).isCompletedExceptionally();
        }
        disk.cutPower();
        wal.engine.abandon();
        disk.crash(CrashMode.DROP_ALL, seed);
        disk.capacity(Long.MAX_VALUE);

        WalOptions reopen = options.toBuilder().syncPolicy(SyncPolicy.ALWAYS).build();
        WalContents contents = WalFixtures.recover(PowerLossTest.DIR, reopen).contents();
        PowerLossTest.checkLog(contents.entries(), durableLog, durableState, saved, context);
        assertThat(contents.hardState().commit()).as(context).isGreaterThanOrEqualTo(durableState.commit());
    }
}

package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.test.SimulatedDisk.CrashMode;
import dev.jwal.test.SimulatedDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writers under every policy while another thread interrupts them at random: before a call,
 * while it hands its save over, while it waits. An interrupt may end a caller's wait (with
 * {@link WalInterruptedException}, the flag set again), never the WAL: it is not poisoned, and
 * after a power cut every save acknowledged as durable is there with its bytes, and nothing that
 * was never submitted is. On the real disk too, where Java closes a channel whose thread is
 * interrupted inside I/O: there the WAL must simply carry on.
 */
class InterruptStormTest {

    private static final Path DIR = Path.of("/sim/storm/wal");
    private static final int WRITERS = 4;
    private static final int SAVES_EACH = 60;

    @TempDir
    Path temp;

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        for (long seed = 1; seed <= 16; seed++) {
            seeds.add(seed);
        }
        return seeds;
    }

    /** How one save ended for its caller. */
    private enum Outcome { DURABLE, UNKNOWN }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void interruptsEndWaitsNotTheWalOnTheSimulatedDisk(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        SyncPolicy policy = SyncPolicy.values()[(int) (seed % SyncPolicy.values().length)];
        SimulatedDisk disk = new SimulatedDisk();
        // Waiters that park at once (spinWait off) take the interrupts in a different place, and so
        // do callers writing their own saves: every policy is stormed on both save paths.
        WalOptions options = WalOptions.builder().syncPolicy(policy).segmentSize(4096).preallocate(random.nextBoolean())
                .spinWait(random.nextBoolean()).callerWrites(seed / 4 % 2 == 0).syncInterval(Duration.ofHours(1))
                .disk(disk).build();
        Map<Long, Outcome> outcomes;
        Wal wal = Wal.create(DIR, WalFixtures.METADATA, options);
        try {
            outcomes = storm(wal, random.split(), seed);
            assertThat(wal.poisonCause()).as("seed %d (%s): an interrupt poisoned the WAL", seed, policy).isEmpty();
            if (policy == SyncPolicy.NONE || policy == SyncPolicy.INTERVAL) {
                // Only a sync makes saves durable under these policies.
                wal.sync();
            }
        } finally {
            disk.cutPower();
            wal.engine.abandon();
        }
        disk.crash(CrashMode.values()[random.nextInt(CrashMode.values().length)], seed);
        WalContents contents = WalFixtures.recover(DIR, options.toBuilder().syncPolicy(SyncPolicy.ALWAYS).build())
                .contents();
        check(contents, outcomes, seed, "seed " + seed + " (" + policy + ")");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void interruptsEndWaitsNotTheWalOnTheRealDisk(long seed) throws Exception {
        if (seed > 4) {
            return; // the real disk is slow next to the simulated one; four seeds show the point
        }
        SplittableRandom random = new SplittableRandom(seed);
        SyncPolicy policy = seed % 2 == 0 ? SyncPolicy.GROUP : SyncPolicy.ALWAYS;
        Path dir = temp.resolve("wal");
        WalOptions options = WalOptions.builder().syncPolicy(policy).segmentSize(64 * 1024).preallocate(false)
                .spinWait(seed % 3 != 0).callerWrites(seed <= 2).build();
        Map<Long, Outcome> outcomes;
        try (Wal wal = Wal.create(dir, WalFixtures.METADATA, options)) {
            outcomes = storm(wal, random, seed);
            assertThat(wal.poisonCause()).as("seed %d (%s): an interrupt poisoned the WAL", seed, policy).isEmpty();
            long next = wal.lastIndex() + 1;
            wal.save(new HardState(1, 1, next), List.of(Entry.normal(1, next, data(seed, next))));
            outcomes.put(next, Outcome.DURABLE);
        }
        try (Wal wal = Wal.open(dir, WalSnapshot.ZERO, options)) {
            check(wal.readAll(), outcomes, seed, "seed " + seed + " (" + policy + ", real disk)");
        }
    }

    /**
     * Runs the writers and the interrupter; returns each submitted index and how its caller saw
     * it end. Indexes are taken and submitted under one lock, as a raft node's log does.
     */
    private static Map<Long, Outcome> storm(Wal wal, SplittableRandom random, long seed) throws Exception {
        Map<Long, Outcome> outcomes = new ConcurrentHashMap<>();
        ReentrantLock order = new ReentrantLock();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int style = w % 3;
            long writerSeed = random.nextLong();
            Thread writer = new Thread(() -> {
                try {
                    write(wal, order, outcomes, style, new SplittableRandom(writerSeed), seed);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "storm-writer-" + w);
            writers.add(writer);
        }
        Thread interrupter = new Thread(() -> {
            SplittableRandom pick = random.split();
            while (running.get()) {
                writers.get(pick.nextInt(writers.size())).interrupt();
                Thread.onSpinWait();
                for (int spin = pick.nextInt(20_000); spin > 0; spin--) {
                    Thread.onSpinWait();
                }
            }
        }, "storm-interrupter");
        writers.forEach(Thread::start);
        interrupter.start();
        for (Thread writer : writers) {
            writer.join();
        }
        running.set(false);
        interrupter.join();
        assertThat(failures).as("seed %d: writers failed other than by an interrupt", seed).isEmpty();
        return outcomes;
    }

    /** One writer: {@code style} 0 saves synchronously, 1 waits on the future, 2 joins it. */
    private static void write(Wal wal, ReentrantLock order, Map<Long, Outcome> outcomes, int style,
            SplittableRandom random, long seed) throws InterruptedException {
        for (int i = 0; i < SAVES_EACH; i++) {
            CompletableFuture<Void> future = null;
            long index;
            order.lock();
            try {
                index = wal.lastIndex() + 1;
                List<Entry> entries = List.of(Entry.normal(1, index, data(seed, index)));
                HardState state = new HardState(1, 1, index);
                if (style == 0) {
                    try {
                        wal.save(state, entries);
                        outcomes.put(index, Outcome.DURABLE);
                    } catch (WalInterruptedException interrupted) {
                        assertThat(Thread.interrupted()).as("the flag is set again").isTrue();
                        if (interrupted.submitted()) {
                            outcomes.put(index, Outcome.UNKNOWN);
                        }
                    }
                    continue;
                }
                future = wal.saveAsync(state, entries);
                if (future.isCompletedExceptionally() && !submitted(future)) {
                    Thread.interrupted();
                    continue;
                }
                outcomes.put(index, Outcome.UNKNOWN);
            } finally {
                order.unlock();
            }
            try {
                if (style == 1) {
                    future.get();
                } else {
                    future.join();
                }
                outcomes.put(index, Outcome.DURABLE);
            } catch (InterruptedException interrupted) {
                // the wait ended; the save goes on, its outcome unknown to us
            } catch (ExecutionException e) {
                throw new AssertionError("save " + index + " failed", e.getCause());
            }
            if (random.nextInt(8) == 0) {
                Thread.interrupted();
            }
        }
        Thread.interrupted();
    }

    private static boolean submitted(CompletableFuture<Void> failed) {
        try {
            failed.join();
            return true;
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof WalInterruptedException interrupted) {
                return interrupted.submitted();
            }
            throw e;
        }
    }

    private static void check(WalContents contents, Map<Long, Outcome> outcomes, long seed, String context) {
        Map<Long, Entry> read = new java.util.HashMap<>();
        for (Entry entry : contents.entries()) {
            read.put(entry.index(), entry);
            assertThat(outcomes).as("%s: entry %d was never submitted", context, entry.index())
                    .containsKey(entry.index());
        }
        outcomes.forEach((index, outcome) -> {
            if (outcome == Outcome.DURABLE) {
                assertThat(read).as("%s: acknowledged entry %d is missing", context, index).containsKey(index);
            }
        });
        read.forEach((index, entry) -> assertThat(entry.data()).as("%s: the bytes of %d", context, index)
                .isEqualTo(data(seed, index)));
    }

    private static byte[] data(long seed, long index) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003 + index);
        byte[] bytes = new byte[1 + random.nextInt(300)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}

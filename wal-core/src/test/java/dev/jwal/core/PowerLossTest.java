package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.test.SimulatedDisk.CrashMode;
import dev.jwal.test.SimulatedDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random workloads — saves of random sizes with raft's overwrites, snapshots, syncs, cuts,
 * releaseLockTo, under every sync policy — on a simulated disk whose power is cut at a random
 * operation, followed by a crash of a random kind (nothing pending kept, all kept, a prefix,
 * sectors reordered, a torn write). Then the WAL is opened as a restarting node would: open, and
 * on a torn tail, repair and open again. When sectors were reordered, records written after a
 * lost sector may survive it: the node then refuses (readable records after damage look like
 * corruption), and the test discards them as an operator would with {@code jwal repair
 * --discard-readable}, so that the checks below show that what was discarded was never
 * acknowledged. It must open, and:
 * <ul>
 *   <li>every save acknowledged as durable before the crash reads back with its exact bytes
 *       (unless a later save in a newer term overwrote it, which may have reached the disk);</li>
 *   <li>the hard state is one that was saved, and at least the last durable one;</li>
 *   <li>no entry appears that was never saved, and the log is a raft log (terms never fall).</li>
 * </ul>
 * {@code -Djwal.crash.scenarios=N} sets how many scenarios run (2,000 by default; the
 * {@code stress} profile runs 100,000); a failure names its seed, and
 * {@code -Djwal.crash.seed=S -Dtest=PowerLossTest} replays it alone.
 */
class PowerLossTest {

    static final Path DIR = Path.of("/sim/node/wal");
    private static final SyncPolicy[] POLICIES = SyncPolicy.values();

    @Test
    void everyDurableSaveSurvivesAPowerLossAnywhere() {
        String one = System.getProperty("jwal.crash.seed", "");
        long first = one.isBlank() ? 1 : Long.parseLong(one);
        int count = one.isBlank() ? Integer.getInteger("jwal.crash.scenarios", 2000) : 1;
        Map<String, Integer> outcomes = new HashMap<>();
        for (long seed = first; seed < first + count; seed++) {
            try {
                outcomes.merge(scenario(seed), 1, Integer::sum);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("power-loss scenario failed with seed " + seed + "; replay it with "
                        + "./mvnw -pl wal-core test -Dtest=PowerLossTest -Djwal.crash.seed=" + seed + "\n" + e, e);
            }
        }
        System.out.println("PowerLossTest: " + count + " scenarios, outcomes " + outcomes);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(count);
    }

    /** Runs one scenario; returns how the WAL came back, for the tally. */
    static String scenario(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SimulatedDisk disk = new SimulatedDisk();
        SyncPolicy policy = POLICIES[random.nextInt(POLICIES.length)];
        WalOptions options = WalOptions.builder().syncPolicy(policy)
                .segmentSize(new long[] {512, 2048, 8192, 32768}[random.nextInt(4)])
                .preallocate(random.nextBoolean()).callerWrites((seed & 1) == 0).syncInterval(Duration.ofHours(1))
                .disk(disk).build();
        RaftLogModel model = new RaftLogModel();
        Map<Long, Set<Entry>> saved = new HashMap<>();
        Set<HardState> savedStates = new HashSet<>(List.of(HardState.EMPTY));
        boolean armedBeforeCreate = random.nextInt(10) == 0;
        if (armedBeforeCreate) {
            disk.powerLossAfter(1 + random.nextInt(12));
        }
        Wal wal = null;
        List<Entry> durableLog = List.of();
        HardState durableState = HardState.EMPTY;
        boolean created = false;
        try {
            wal = Wal.create(DIR, WalFixtures.METADATA, options);
            created = true;
            if (!armedBeforeCreate) {
                disk.powerLossAfter(1 + random.nextInt(300));
            }
            for (int step = 0; step < 150; step++) {
                int op = random.nextInt(100);
                if (op < 75) {
                    RaftLogModel.Save save = model.nextSave(random, true);
                    List<Entry> batch = save.entries();
                    HardState state = save.state();
                    boolean mustSync = save.mustSync();
                    for (Entry entry : batch) {
                        saved.computeIfAbsent(entry.index(), i -> new HashSet<>()).add(entry);
                    }
                    savedStates.add(state);
                    wal.save(state, batch);
                    model.apply(state, batch);
                    if (mustSync && (policy == SyncPolicy.ALWAYS || policy == SyncPolicy.GROUP)) {
                        durableLog = List.copyOf(model.log);
                        durableState = model.state;
                    }
                } else if (op < 83 && model.state.commit() > 0) {
                    long index = random.nextLong(1, model.state.commit() + 1);
                    Entry at = model.log.stream().filter(e -> e.index() == index).findFirst().orElse(null);
                    if (at != null) {
                        wal.saveSnapshot(WalSnapshot.of(index, at.term()));
                        if (policy != SyncPolicy.NONE) {
                            durableLog = List.copyOf(model.log);
                            durableState = model.state;
                        }
                    }
                } else if (op < 90) {
                    wal.sync();
                    durableLog = List.copyOf(model.log);
                    durableState = model.state;
                } else if (op < 95) {
                    wal.releaseLockTo(random.nextLong(0, model.lastIndex() + 2));
                }
            }
        } catch (WalException powerLost) {
            assertThat(disk.powerLost()).as("only the power cut fails this workload: %s", powerLost).isTrue();
        }
        disk.cutPower();
        if (wal != null) {
            wal.engine.abandon();
        }
        CrashMode mode = CrashMode.values()[random.nextInt(CrashMode.values().length)];
        disk.crash(mode, seed);

        if (!created) {
            if (!WalDirectory.exists(DIR, options)) {
                return "no WAL (power lost during create)";
            }
        }
        WalOptions reopen = options.toBuilder().syncPolicy(SyncPolicy.ALWAYS).build();
        WalFixtures.Recovered recovered = WalFixtures.recover(DIR, reopen);
        WalContents contents = recovered.contents();
        String outcome = recovered.discarded().any() ? "refused, then discarded by hand"
                : recovered.repaired() ? "repaired" : "clean";
        appendsAgain(reopen, contents);
        String context = policy + ", crash " + mode + ", " + durableLog.size() + " durable entries";
        checkLog(contents.entries(), durableLog, durableState, saved, context);
        HardState state = contents.hardState();
        assertThat(savedStates).as("%s: the hard state read was saved", context).contains(state);
        assertThat(state.term()).as("%s: term", context).isGreaterThanOrEqualTo(durableState.term());
        assertThat(state.commit()).as("%s: commit", context).isGreaterThanOrEqualTo(durableState.commit());
        return outcome + " " + mode;
    }

    /** A restarted node appends again where the log ends. */
    private static void appendsAgain(WalOptions options, WalContents contents) {
        long last = contents.entries().isEmpty() ? 0 : contents.entries().get(contents.entries().size() - 1).index();
        try (Wal wal = Wal.open(DIR, WalSnapshot.ZERO, options)) {
            wal.readAll();
            wal.save(new HardState(contents.hardState().term(), 1, last), List.of(Entry.normal(
                    Math.max(1, contents.hardState().term()), last + 1, new byte[] {1})));
            assertThat(wal.lastIndex()).isEqualTo(last + 1);
        }
    }

    /**
     * The log read back against the last durable one: equal up to where a later save in a newer
     * term overwrote it, every entry one that was saved, terms never falling.
     */
    static void checkLog(List<Entry> read, List<Entry> durable, HardState durableState,
            Map<Long, Set<Entry>> saved, String context) {
        long previousTerm = 0;
        for (Entry entry : read) {
            assertThat(saved.getOrDefault(entry.index(), Set.of())).as("%s: entry %d was saved", context, entry.index())
                    .contains(entry);
            assertThat(entry.term()).as("%s: terms never fall", context).isGreaterThanOrEqualTo(previousTerm);
            previousTerm = entry.term();
        }
        for (int i = 0; i < durable.size(); i++) {
            Entry expected = durable.get(i);
            Entry actual = i < read.size() ? read.get(i) : null;
            if (expected.equals(actual)) {
                continue;
            }
            assertThat(actual).as("%s: durable entry %d is missing", context, expected.index()).isNotNull();
            assertThat(actual.term()).as("%s: entry %d differs from the durable one without a newer term", context,
                    expected.index()).isGreaterThan(expected.term());
            assertThat(expected.index()).as("%s: a committed entry was replaced", context)
                    .isGreaterThan(durableState.commit());
            break;
        }
    }
}

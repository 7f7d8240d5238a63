package dev.jwal.benchmarks;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The fsync-bound figures, taken in turn round after round so that each ratio compares rates a
 * few seconds apart: a shared disk's fdatasync rate drifts by a fifth within minutes, more than
 * the differences these ratios are about. Each round measures, for the same number of seconds
 * and in an order that rotates from round to round: the disk's own write + fdatasync
 * ({@link SyncedPages}), the same handed to another thread ({@link HandedOffSyncs}), jwal's
 * {@code ALWAYS} and {@code GROUP} with one writer, {@code GROUP} with 64, and, given the driver,
 * etcd's one writer. jwal's writers save as {@link ConcurrentSaveBenchmark}'s do: indexes in
 * order under a lock, {@code saveAsync} under it, {@code join} outside it. The WALs stay open
 * across rounds; a warm-up round is not reported. Each round's line gives every jwal and ceiling
 * contestant's longest single save beside its rate, so that a stall is told from a slow disk.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.jwal.benchmarks.SyncAlternation DIR [ROUNDS [SECONDS [ETCD_DRIVER]]]</pre>
 */
public final class SyncAlternation {

    /** The contestants, in the order of the first round. */
    enum Contestant {
        CEILING("write + fdatasync"),
        HANDED_OFF("write + fdatasync, handed off"),
        ALWAYS_1("jwal ALWAYS, 1 writer"),
        ALWAYS_SAVE("jwal ALWAYS, 1 writer, save"),
        GROUP_1("jwal GROUP, 1 writer"),
        GROUP_64("jwal GROUP, 64 writers"),
        ETCD_1("etcd, 1 writer");

        final String label;

        Contestant(String label) {
            this.label = label;
        }
    }

    /** Saves/s of each contestant in each round ({@code NaN} where one did not run). */
    record Rounds(double[][] rates) {

        double rate(Contestant contestant, int round) {
            return rates[contestant.ordinal()][round];
        }

        int count() {
            return rates[0].length;
        }

        boolean has(Contestant contestant) {
            return !Double.isNaN(rates[contestant.ordinal()][0]);
        }

        /** {@code a ÷ b} round by round. */
        double[] ratios(Contestant a, Contestant b) {
            double[] ratios = new double[count()];
            for (int round = 0; round < ratios.length; round++) {
                ratios[round] = rate(a, round) / rate(b, round);
            }
            return ratios;
        }

        double[] of(Contestant contestant) {
            return rates[contestant.ordinal()].clone();
        }
    }

    private static final byte[] DATA = new byte[100];

    private SyncAlternation() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        EtcdDriver driver = args.length > 3
                ? new EtcdDriver(Path.of(args[3]), Path.of(args[0]).toAbsolutePath().toString(), seconds,
                        Path.of(args[0], "etcd-rounds.jsonl"), new EtcdFigures())
                : null;
        Rounds measured = measure(args[0], driver, rounds, seconds);
        System.out.println(summary(measured));
        System.exit(0);
    }

    /** Measures {@code rounds} rounds of {@code seconds} per contestant under {@code dir}. */
    static Rounds measure(String dir, EtcdDriver driver, int rounds, int seconds) throws Exception {
        Path home = BenchDirectory.create(dir, "jwal-sync-rounds");
        List<Contestant> contestants = new ArrayList<>(List.of(Contestant.values()));
        if (driver == null) {
            contestants.remove(Contestant.ETCD_1);
        }
        double[][] rates = new double[Contestant.values().length][rounds];
        for (double[] row : rates) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        try (SyncedPages direct = new SyncedPages(home.resolve("direct"));
                SyncedPages handedPages = new SyncedPages(home.resolve("handed-off"));
                HandedOffSyncs handedOff = new HandedOffSyncs(handedPages);
                OrderedSaves always = new OrderedSaves(home.resolve("always"), SyncPolicy.ALWAYS);
                OrderedSaves alwaysSave = new OrderedSaves(home.resolve("always-save"), SyncPolicy.ALWAYS);
                OrderedSaves group1 = new OrderedSaves(home.resolve("group-1"), SyncPolicy.GROUP);
                OrderedSaves group64 = new OrderedSaves(home.resolve("group-64"), SyncPolicy.GROUP)) {
            Measured[] loads = new Measured[Contestant.values().length];
            loads[Contestant.CEILING.ordinal()] = nanos -> ClosedLoop.run(1, nanos, direct::writeAndSync);
            loads[Contestant.HANDED_OFF.ordinal()] = nanos -> ClosedLoop.run(1, nanos, handedOff::save);
            loads[Contestant.ALWAYS_1.ordinal()] = nanos -> ClosedLoop.run(1, nanos, always::saveAndWait);
            loads[Contestant.ALWAYS_SAVE.ordinal()] = nanos -> ClosedLoop.run(1, nanos, alwaysSave::saveInOrder);
            loads[Contestant.GROUP_1.ordinal()] = nanos -> ClosedLoop.run(1, nanos, group1::saveAndWait);
            loads[Contestant.GROUP_64.ordinal()] = nanos -> ClosedLoop.run(64, nanos, group64::saveAndWait);
            loads[Contestant.ETCD_1.ordinal()] = nanos -> new ClosedLoop.Measurement(
                    driver.measure("concurrent", 100, 1, 1).savesPerSec(), -1);
            for (Contestant contestant : contestants) {
                loads[contestant.ordinal()].measure(1_000_000_000L);
            }
            long nanos = seconds * 1_000_000_000L;
            for (int round = 0; round < rounds; round++) {
                StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
                for (int i = 0; i < contestants.size(); i++) {
                    Contestant contestant = contestants.get((round + i) % contestants.size());
                    ClosedLoop.Measurement measured = loads[contestant.ordinal()].measure(nanos);
                    rates[contestant.ordinal()][round] = measured.perSecond();
                    line.append(String.format(Locale.ROOT, " %s %.0f", contestant.label, measured.perSecond()))
                            .append(measured.longestNanos() < 0 ? ";"
                                    : String.format(Locale.ROOT, " (longest %.1f ms);", measured.longestNanos() / 1e6));
                }
                System.out.println(line);
            }
        } finally {
            BenchDirectory.delete(home);
        }
        return new Rounds(rates);
    }

    /** The ratios the targets are about, each as the median and range over the rounds. */
    static String summary(Rounds rounds) {
        StringBuilder text = new StringBuilder();
        line(text, rounds, "jwal ALWAYS 1 writer ÷ write + fdatasync", Contestant.ALWAYS_1, Contestant.CEILING);
        line(text, rounds, "jwal GROUP 1 writer ÷ write + fdatasync", Contestant.GROUP_1, Contestant.CEILING);
        line(text, rounds, "handed off ÷ write + fdatasync", Contestant.HANDED_OFF, Contestant.CEILING);
        line(text, rounds, "jwal ALWAYS 1 writer ÷ handed off", Contestant.ALWAYS_1, Contestant.HANDED_OFF);
        line(text, rounds, "jwal ALWAYS 1 writer ÷ etcd 1 writer", Contestant.ALWAYS_1, Contestant.ETCD_1);
        line(text, rounds, "jwal ALWAYS save ÷ write + fdatasync", Contestant.ALWAYS_SAVE, Contestant.CEILING);
        line(text, rounds, "jwal ALWAYS save ÷ etcd 1 writer", Contestant.ALWAYS_SAVE, Contestant.ETCD_1);
        line(text, rounds, "jwal GROUP 1 writer ÷ etcd 1 writer", Contestant.GROUP_1, Contestant.ETCD_1);
        line(text, rounds, "jwal GROUP 64 writers ÷ etcd 1 writer", Contestant.GROUP_64, Contestant.ETCD_1);
        return text.toString();
    }

    private static void line(StringBuilder text, Rounds rounds, String what, Contestant a, Contestant b) {
        if (rounds.has(a) && rounds.has(b)) {
            text.append(what).append(": ").append(RoundRatios.summary(rounds.ratios(a, b))).append('\n');
        }
    }

    /** One contestant's load over about {@code nanos}. */
    @FunctionalInterface
    private interface Measured {
        ClosedLoop.Measurement measure(long nanos) throws Exception;
    }

    /** A WAL saved to as {@link ConcurrentSaveBenchmark} does, by any number of writers. */
    private static final class OrderedSaves implements AutoCloseable {

        private final Wal wal;
        private final java.util.concurrent.locks.ReentrantLock order = new java.util.concurrent.locks.ReentrantLock();
        private long next = 1;

        OrderedSaves(Path dir, SyncPolicy policy) {
            wal = Wal.create(dir, "somedata".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    WalOptions.builder().syncPolicy(policy).build());
        }

        /** One save, its index taken in order under a lock, waited for outside it. */
        void saveAndWait() {
            save().join();
        }

        private CompletableFuture<Void> save() {
            order.lock();
            try {
                long index = next++;
                return wal.saveAsync(new HardState(1, 0, index), List.of(Entry.normal(1, index, DATA)));
            } finally {
                order.unlock();
            }
        }

        /**
         * One {@code save}, as a raft log or {@code WalLog.append} calls it: the index taken under
         * the lock, which is let go once the save has its place; written on this thread when the
         * WAL is idle.
         */
        void saveInOrder() {
            order.lock();
            try {
                long index = next++;
                wal.save(new HardState(1, 0, index), List.of(Entry.normal(1, index, DATA)), order::unlock);
            } finally {
                if (order.isHeldByCurrentThread()) {
                    order.unlock();
                }
            }
        }

        @Override
        public void close() {
            wal.close();
        }
    }
}

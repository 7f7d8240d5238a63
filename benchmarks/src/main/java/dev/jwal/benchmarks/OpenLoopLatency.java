package dev.jwal.benchmarks;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalListener;
import dev.jwal.core.WalOptions;
import dev.jwal.core.log.WalLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency as a service's callers feel it: each operation is due at a fixed rate, whether or not the
 * one before it has finished, and its latency counts from when it was due, so a stall delays the
 * operations behind it as it delays real callers (the correction for coordinated omission). Every
 * contestant's closed-loop rate is measured first; then, at 25%, 50% and 90% of it, the contestants
 * run in alternating rounds with their order rotating, recorded with HdrHistogram.
 *
 * <p>The one-caller {@code ALWAYS} family (the disk's own write + fdatasync, etcd 3.4's WAL, jwal,
 * and jwal with every save handed to its log writer as before {@code callerWrites}) are all offered
 * the same rate, a fraction of etcd's closed-loop rate (the disk's without etcd). The others are
 * offered fractions of their own. {@code --hogs} starts one busy process per CPU beside the run,
 * as a service's busy machine has.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.jwal.benchmarks.OpenLoopLatency DIR
 *     [--etcd-driver PATH] [--seconds 5] [--rounds 2] [--hogs] [--loads 0.25,0.5,0.9]
 *     [--only RAW,ETCD,JWAL,...] [--warmup SECONDS] [--out FILE.md] [--plot FILE.png]
 * </pre>
 */
public final class OpenLoopLatency {

    /** Who is measured. */
    enum Contestant {
        RAW("write + fdatasync", 1, true),
        ETCD("etcd 3.4", 1, true),
        JWAL("jwal ALWAYS", 1, true),
        HANDED_OFF("jwal ALWAYS, handed off", 1, true),
        CUTS("jwal ALWAYS, 1 MB segments", 1, true),
        SPARE("jwal ALWAYS, from creation", 1, true),
        GROUP_64("jwal GROUP, 64 callers", 64, false),
        ASYNC("jwal GROUP, saveAsync", 1, false),
        NONE("jwal NONE", 1, false),
        LOG("jwal WalLog append (GROUP)", 1, false);

        final String label;
        final int callers;
        /** Offered the one-caller family's common rate rather than its own. */
        final boolean sharedRate;

        Contestant(String label, int callers, boolean sharedRate) {
            this.label = label;
            this.callers = callers;
            this.sharedRate = sharedRate;
        }
    }

    private static final byte[] DATA = new byte[100];
    /** How long after creation {@link Contestant#SPARE}'s saves count as beside the spare's preparation. */
    private static final double SPARE_SECONDS = 2;
    /** Seconds each open-loop run goes unrecorded first ({@code --warmup}); set once by {@link #main}. */
    private static double warmUpSeconds = 1;
    private static final byte[] METADATA = "somedata".getBytes(StandardCharsets.UTF_8);

    /** One open-loop run's outcome. */
    record Run(double offered, double achieved, Histogram latencies, long longestAtCut) {
    }

    private OpenLoopLatency() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        Path driver = null;
        int seconds = 5;
        int rounds = 2;
        boolean hogs = false;
        double[] loads = {0.25, 0.5, 0.9};
        Path out = null;
        Path plot = null;
        List<Contestant> only = List.of(Contestant.values());
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--etcd-driver" -> driver = Path.of(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--hogs" -> hogs = true;
                case "--loads" -> loads = Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray();
                case "--out" -> out = Path.of(args[++i]);
                case "--plot" -> plot = Path.of(args[++i]);
                case "--warmup" -> warmUpSeconds = Double.parseDouble(args[++i]);
                case "--only" -> only = Arrays.stream(args[++i].split(",")).map(Contestant::valueOf).toList();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Process> hogProcesses = hogs ? startHogs() : List.of();
        try {
            String report = measure(dir, driver, seconds, rounds, loads, hogs, plot, only);
            System.out.println(report);
            if (out != null) {
                Files.writeString(out, report);
            }
        } finally {
            hogProcesses.forEach(Process::destroyForcibly);
        }
        System.exit(0);
    }

    /** One busy process per CPU: {@code sh} spinning in a loop, as other work on a service's machine. */
    private static List<Process> startHogs() throws IOException {
        List<Process> started = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            started.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(Process::destroyForcibly)));
        return started;
    }

    static String measure(Path dir, Path driver, int seconds, int rounds, double[] loads, boolean hogs, Path plot,
            List<Contestant> only) throws Exception {
        Path home = BenchDirectory.create(dir.toString(), "jwal-open-loop");
        List<Contestant> contestants = new ArrayList<>(only);
        if (driver == null) {
            contestants.remove(Contestant.ETCD);
        }
        Map<Contestant, Double> closed = new EnumMap<>(Contestant.class);
        Map<Contestant, Map<Double, List<Run>>> runs = new EnumMap<>(Contestant.class);
        try {
            for (Contestant c : contestants) {
                closed.put(c, closedLoop(c, home, driver));
                System.out.printf(Locale.ROOT, "closed loop: %s %.0f/s%n", c.label, closed.get(c));
            }
            double shared = closed.getOrDefault(Contestant.ETCD, closed.getOrDefault(Contestant.RAW, 0.0));
            if (shared == 0 && contestants.stream().anyMatch(c -> c.sharedRate)) {
                throw new IllegalArgumentException("the one-caller contestants need RAW or ETCD for their rate");
            }
            for (double load : loads) {
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < contestants.size(); i++) {
                        Contestant c = contestants.get((round + i) % contestants.size());
                        double rate = load * (c.sharedRate ? shared : closed.get(c));
                        Run run = openLoop(c, home, driver, rate, seconds);
                        runs.computeIfAbsent(c, k -> new java.util.TreeMap<>())
                                .computeIfAbsent(load, k -> new ArrayList<>()).add(run);
                        System.out.printf(Locale.ROOT, "load %.0f%% round %d: %-28s %s%n", load * 100, round + 1,
                                c.label, describe(run));
                    }
                }
            }
        } finally {
            BenchDirectory.delete(home);
        }
        if (plot != null) {
            LatencyPlot.write(runs, plot, hogs);
        }
        return report(closed, runs, loads, rounds, hogs, seconds);
    }

    private static String describe(Run run) {
        Histogram h = run.latencies();
        return String.format(Locale.ROOT, "offered %.0f/s achieved %.0f/s p50 %s p99 %s p99.9 %s p99.99 %s max %s%s",
                run.offered(), run.achieved(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getValueAtPercentile(99.99)), ms(h.getMaxValue()),
                run.longestAtCut() > 0 ? " longest save kept apart (across a cut, or beside the first spare) " + ms(run.longestAtCut()) : "");
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String report(Map<Contestant, Double> closed, Map<Contestant, Map<Double, List<Run>>> runs,
            double[] loads, int rounds, boolean hogs, int seconds) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Open-loop latency, %s, %d round(s) of %d s per point; ms, the range over"
                + " the rounds%n%n", hogs ? "one busy process per CPU beside" : "machine otherwise idle", rounds,
                seconds));
        text.append("| contestant | closed-loop/s | load | offered/s | achieved/s | p50 | p99 | p99.9 | p99.99 | max |\n");
        text.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map.Entry<Contestant, Map<Double, List<Run>>> c : runs.entrySet()) {
            for (double load : loads) {
                List<Run> points = c.getValue().get(load);
                if (points == null) {
                    continue;
                }
                text.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f%% | %.0f | %s | %s | %s | %s | %s | %s |%n",
                        c.getKey().label, closed.get(c.getKey()), load * 100, points.get(0).offered(),
                        rates(points), range(points, r -> r.latencies().getValueAtPercentile(50)),
                        range(points, r -> r.latencies().getValueAtPercentile(99)),
                        range(points, r -> r.latencies().getValueAtPercentile(99.9)),
                        range(points, r -> r.latencies().getValueAtPercentile(99.99)),
                        range(points, r -> r.latencies().getMaxValue())));
            }
        }
        apart(text, runs.get(Contestant.CUTS), loads,
                "jwal ALWAYS with 1 MB segments, the longest save across a cut against the p99.9 of the rest:");
        apart(text, runs.get(Contestant.SPARE), loads, "jwal ALWAYS from creation, the longest save of the first "
                + SPARE_SECONDS + " s (the first 64 MB spare prepared beside, the first writes to a new file, the"
                + " JIT) against the p99.9 of the rest:");
        return text.toString();
    }

    private static void apart(StringBuilder text, Map<Double, List<Run>> runs, double[] loads, String what) {
        if (runs == null) {
            return;
        }
        text.append('\n').append(what);
        for (double load : loads) {
            for (Run run : runs.getOrDefault(load, List.of())) {
                text.append(String.format(Locale.ROOT, " %.0f%%: %s / %s;", load * 100, ms(run.longestAtCut()),
                        ms(run.latencies().getValueAtPercentile(99.9))));
            }
        }
        text.append('\n');
    }

    /** A latency's min–max over the rounds, in ms. */
    private static String range(List<Run> points, java.util.function.ToDoubleFunction<Run> nanos) {
        double min = points.stream().mapToDouble(nanos).min().orElse(0) / 1e6;
        double max = points.stream().mapToDouble(nanos).max().orElse(0) / 1e6;
        return String.format(Locale.ROOT, min == max ? "%.2f" : "%.2f–%.2f", min, max);
    }

    /** The achieved rates' min–max over the rounds. */
    private static String rates(List<Run> points) {
        double min = points.stream().mapToDouble(Run::achieved).min().orElse(0);
        double max = points.stream().mapToDouble(Run::achieved).max().orElse(0);
        return String.format(Locale.ROOT, "%.0f–%.0f", min, max);
    }

    // ---------------------------------------------------------------------------------------------
    // The contestants

    /** One contestant set up on its own directory; {@link #op} runs one operation and waits for it. */
    private interface Target extends AutoCloseable {
        void op() throws Exception;

        /** Operations that end only when a future completes: {@link Contestant#ASYNC}. */
        default CompletableFuture<?> opAsync() {
            throw new UnsupportedOperationException();
        }

        /** Segment cuts so far, where the contestant counts them; -1 elsewhere. */
        default long cuts() {
            return -1;
        }

        @Override
        void close() throws IOException;
    }

    private static Target open(Contestant c, Path home) throws IOException {
        Path dir = home.resolve(c.name().toLowerCase(Locale.ROOT) + "-" + System.nanoTime());
        return switch (c) {
            case RAW -> {
                Files.createDirectories(dir);
                SyncedPages pages = new SyncedPages(dir.resolve("pages"));
                yield new Target() {
                    @Override
                    public void op() throws IOException {
                        pages.writeAndSync();
                    }

                    @Override
                    public void close() throws IOException {
                        pages.close();
                    }
                };
            }
            case JWAL, SPARE -> saves(dir, WalOptions.builder().syncPolicy(SyncPolicy.ALWAYS));
            case HANDED_OFF -> saves(dir, WalOptions.builder().syncPolicy(SyncPolicy.ALWAYS).callerWrites(false));
            case CUTS -> saves(dir, WalOptions.builder().syncPolicy(SyncPolicy.ALWAYS).segmentSize(1_000_000));
            case GROUP_64, ASYNC -> saves(dir, WalOptions.builder().syncPolicy(SyncPolicy.GROUP));
            case NONE -> saves(dir, WalOptions.builder().syncPolicy(SyncPolicy.NONE));
            case LOG -> {
                WalLog log = WalLog.open(dir, WalOptions.builder().syncPolicy(SyncPolicy.GROUP).build());
                yield new Target() {
                    @Override
                    public void op() {
                        log.append(DATA);
                    }

                    @Override
                    public void close() {
                        log.close();
                    }
                };
            }
            case ETCD -> throw new IllegalArgumentException("etcd runs in its own process");
        };
    }

    /** A raft WAL saved to as a node does: indexes taken in order under a lock, waited for outside it. */
    private static Target saves(Path dir, WalOptions.Builder options) {
        AtomicLong cuts = new AtomicLong();
        Wal wal = Wal.create(dir, METADATA, options.listener(new WalListener() {
            @Override
            public void segmentCut(Path segment) {
                cuts.incrementAndGet();
            }
        }).build());
        ReentrantLock order = new ReentrantLock();
        long[] next = {1};
        return new Target() {
            @Override
            public void op() {
                order.lock();
                try {
                    long index = next[0]++;
                    // let go of the order once the save has its place, as the raft log does
                    wal.save(new HardState(1, 0, index), List.of(Entry.normal(1, index, DATA)), order::unlock);
                } finally {
                    if (order.isHeldByCurrentThread()) {
                        order.unlock();
                    }
                }
            }

            @Override
            public CompletableFuture<?> opAsync() {
                order.lock();
                try {
                    long index = next[0]++;
                    return wal.saveAsync(new HardState(1, 0, index), List.of(Entry.normal(1, index, DATA)));
                } finally {
                    order.unlock();
                }
            }

            @Override
            public long cuts() {
                return cuts.get();
            }

            @Override
            public void close() {
                wal.close();
            }
        };
    }

    private static double closedLoop(Contestant c, Path home, Path driver) throws Exception {
        if (c == Contestant.ETCD) {
            EtcdDriver etcd = new EtcdDriver(driver, home.toString(), 2, home.resolve("etcd.jsonl"), new EtcdFigures());
            return etcd.measure("write", 100, 1, 1).savesPerSec();
        }
        try (Target target = open(c, home)) {
            if (c == Contestant.ASYNC) {
                return asyncClosedLoop(target, 2_000_000_000L);
            }
            ClosedLoop.run(c.callers, 500_000_000L, target::op);
            return ClosedLoop.run(c.callers, 2_000_000_000L, target::op).perSecond();
        }
    }

    /** saveAsync back to back from one thread, with at most 4,096 saves outstanding. */
    private static double asyncClosedLoop(Target target, long nanos) throws InterruptedException {
        Semaphore window = new Semaphore(4096);
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            window.acquire();
            target.opAsync().whenComplete((v, e) -> {
                done.incrementAndGet();
                window.release();
            });
        }
        window.acquire(4096);
        return done.get() * 1e9 / (System.nanoTime() - start);
    }

    // ---------------------------------------------------------------------------------------------
    // The open loop

    private static Run openLoop(Contestant c, Path home, Path driver, double rate, int seconds) throws Exception {
        if (c == Contestant.ETCD) {
            return etcdOpenLoop(home, driver, rate, seconds);
        }
        try (Target target = open(c, home)) {
            if (c == Contestant.ASYNC) {
                return asyncOpenLoop(target, rate, seconds);
            }
            return syncOpenLoop(target, c.callers, rate, seconds, c == Contestant.SPARE);
        }
    }

    /**
     * {@code callers} threads share the schedule: operation {@code i} is due at
     * {@code start + i / rate} and run by thread {@code i % callers}. --warmup seconds (one by default) at the rate warm
     * up first, unrecorded. A run that falls far behind stops issuing at twice its length.
     */
    private static Run syncOpenLoop(Target target, int callers, double rate, int seconds, boolean fromCreation)
            throws Exception {
        long interval = (long) (1e9 / rate);
        // From creation: no warm-up, and the saves due in the first SPARE_SECONDS, while the first
        // 64 MB spare segment is prepared beside them, are kept apart as "across a cut" are.
        long warm = fromCreation ? 0 : (long) (rate * warmUpSeconds);
        long spareUntil = fromCreation ? (long) (rate * SPARE_SECONDS) : -1;
        long total = warm + (long) (rate * seconds);
        long start = System.nanoTime() + 50_000_000L;
        long giveUp = start + (1 + 2L * seconds) * 1_000_000_000L;
        Histogram[] histograms = new Histogram[callers];
        long[] longestAtCut = new long[callers];
        long[] completed = new long[callers];
        long[] lastEnd = new long[callers];
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(callers);
        for (int t = 0; t < callers; t++) {
            int me = t;
            histograms[t] = new Histogram(3);
            longestAtCut[t] = target.cuts() < 0 && !fromCreation ? -1 : 0;
            Thread caller = new Thread(() -> {
                try {
                    for (long i = me; i < total; i += callers) {
                        long due = start + i * interval;
                        waitUntil(due);
                        if (System.nanoTime() - giveUp > 0) {
                            break;
                        }
                        long cutsBefore = target.cuts();
                        target.op();
                        long end = System.nanoTime();
                        if (i >= warm) {
                            long latency = end - due;
                            if (i < spareUntil || cutsBefore >= 0 && target.cuts() != cutsBefore) {
                                longestAtCut[me] = Math.max(longestAtCut[me], latency);
                            } else {
                                histograms[me].recordValue(latency);
                            }
                            completed[me]++;
                            lastEnd[me] = end;
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "open-loop-" + t);
            caller.setDaemon(true);
            caller.start();
        }
        done.await();
        if (failure.get() != null) {
            throw new IllegalStateException("the load failed", failure.get());
        }
        Histogram all = new Histogram(3);
        long count = 0;
        long last = 0;
        long atCut = -1;
        for (int t = 0; t < callers; t++) {
            all.add(histograms[t]);
            count += completed[t];
            last = Math.max(last, lastEnd[t] - start);
            atCut = Math.max(atCut, longestAtCut[t]);
        }
        long measuredFrom = warm * interval;
        return new Run(rate, count * 1e9 / Math.max(1, last - measuredFrom), all, atCut);
    }

    /** One thread submits saveAsync at the rate; each latency ends when its future completes. */
    private static Run asyncOpenLoop(Target target, double rate, int seconds) throws InterruptedException {
        long interval = (long) (1e9 / rate);
        long warm = (long) rate;
        long total = warm + (long) (rate * seconds);
        long start = System.nanoTime() + 50_000_000L;
        Recorder recorder = new Recorder(3);
        AtomicLong lastEnd = new AtomicLong();
        CountDownLatch done = new CountDownLatch((int) (total - warm));
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            waitUntil(due);
            boolean measured = i >= warm;
            target.opAsync().whenComplete((v, e) -> {
                if (measured) {
                    long end = System.nanoTime();
                    recorder.recordValue(end - due);
                    lastEnd.accumulateAndGet(end - start, Math::max);
                    done.countDown();
                }
            });
        }
        done.await();
        return new Run(rate, (total - warm) * 1e9 / Math.max(1, lastEnd.get() - warm * interval),
                recorder.getIntervalHistogram(), -1);
    }

    private static Run etcdOpenLoop(Path home, Path driver, double rate, int seconds) throws IOException {
        Path latencies = home.resolve("etcd-latencies.txt");
        List<String> command = List.of(driver.toString(), "-dir", home.toString(), "-workload", "openloop",
                "-seconds", Integer.toString(seconds), "-rate", Double.toString(rate), "-latencies",
                latencies.toString());
        String output = EtcdDriver.runDriver(command);
        Histogram histogram = new Histogram(3);
        for (String line : Files.readAllLines(latencies)) {
            if (!line.isBlank()) {
                histogram.recordValue(Long.parseLong(line.trim()));
            }
        }
        Files.delete(latencies);
        return new Run(rate, EtcdFigures.parse(output).savesPerSec(), histogram, -1);
    }

    /**
     * Parks until {@code due}, as a request thread waits for its next request; it does not spin, so
     * the waking slack is each contestant's alike (the Go driver sleeps the same way).
     */
    private static void waitUntil(long due) {
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}

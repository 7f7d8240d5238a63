package dev.jwal.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every benchmark in one go on one directory, so that all figures come from one run on one
 * disk, and writes the table of ratios ({@code results.md}) and the plot of saves/s against
 * writer threads ({@code threads.png}). With {@code --etcd-driver} it runs etcd's wal on each
 * workload just before jwal's, through the Go driver that {@code compare-etcd.sh} builds. The
 * fsync-bound headline ratios come from {@link SyncAlternation}'s rounds instead of single runs.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.jwal.benchmarks.Suite --dir /disk/under/test
 *     [--etcd-driver etcd-walbench [--etcd-seconds 3]] [--out benchmarks/results]</pre>
 */
public final class Suite {

    /** Writer threads of the concurrent-save runs. */
    static final int[] THREADS = {1, 4, 16, 64};

    /** Rounds of {@link SyncAlternation}: odd, so that the median is one of them. */
    static final int SYNC_ROUNDS = 7;

    /** The heap of the small-heap replay: the whole log is eight times larger. */
    static final String SMALL_HEAP = "-Xmx64m";

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(".");
        Path out = Path.of("benchmarks/results");
        Path driverPath = null;
        int etcdSeconds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--etcd-driver" -> driverPath = Path.of(args[++i]);
                case "--etcd-seconds" -> etcdSeconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --dir DIR [--etcd-driver PATH [--etcd-seconds N]] [--out DIR]");
            }
        }
        Files.createDirectories(out);
        String disk = dir.toAbsolutePath().toString();
        EtcdFigures etcd = new EtcdFigures();
        EtcdDriver driver = driverPath == null ? null
                : new EtcdDriver(driverPath, disk, etcdSeconds, out.resolve("etcd.jsonl"), etcd);
        List<RunResult> results = new ArrayList<>();
        results.addAll(run(out, "ceiling", base(disk, DiskCeilingBenchmark.class).threads(1)));
        for (int size : new int[] {100, 1000}) {
            for (int batch : new int[] {1, 10, 100, 500, 1000}) {
                if (driver != null) {
                    driver.run("write", size, batch, 1);
                }
                results.addAll(run(out, "etcd-write-" + size + "-" + batch, base(disk, EtcdWriteBenchmark.class)
                        .threads(1).param("size", Integer.toString(size)).param("batch", Integer.toString(batch))));
            }
        }
        for (int threads : THREADS) {
            if (driver != null) {
                driver.run("concurrent", 100, 1, threads);
            }
            results.addAll(run(out, "concurrent-" + threads,
                    base(disk, ConcurrentSaveBenchmark.class).threads(threads)));
        }
        if (driver != null) {
            driver.run("nosync", 100, 100, 1);
            driver.run("nosync", 10240, 100, 1);
        }
        results.addAll(run(out, "append", base(disk, AppendBenchmark.class).threads(1).addProfiler(GCProfiler.class)));
        if (driver != null) {
            driver.run("replay", ReplayBenchmark.SIZE, 100, 1);
        }
        results.addAll(run(out, "replay", base(disk, ReplayBenchmark.class).threads(1)));
        // readAll keeps every entry, which does not fit: only the streaming replay runs in it
        results.addAll(run(out, "replay-small-heap", base(disk, ReplayBenchmark.class.getName() + "\\.replay$")
                .threads(1).jvmArgsAppend(with(SMALL_HEAP))));

        System.out.println("== the fsync-bound figures in " + SYNC_ROUNDS + " alternating rounds");
        SyncAlternation.Rounds rounds = SyncAlternation.measure(disk, driver, SYNC_ROUNDS, etcdSeconds);
        System.out.print(SyncAlternation.summary(rounds));

        java.util.Map<Integer, Double> framed = new java.util.TreeMap<>();
        for (int size : new int[] {100, 10240}) {
            framed.put(size, FramedSize.bytesPerEntry(disk, size));
        }

        Figures figures = new Figures(results, etcd, rounds, framed);
        Files.writeString(out.resolve("results.md"), RatioTable.render(figures));
        ThroughputPlot.write(figures, out.resolve("threads.png"));
        System.out.println(RatioTable.render(figures));
        System.out.println("Wrote " + out.resolve("results.md") + " and " + out.resolve("threads.png"));
    }

    private static ChainedOptionsBuilder base(String disk, Class<?> benchmark) {
        return base(disk, benchmark.getName() + "\\.");
    }

    private static ChainedOptionsBuilder base(String disk, String benchmarks) {
        return new OptionsBuilder().include(benchmarks).param("dir", disk)
                .jvmArgsAppend(nativeAccess().toArray(String[]::new));
    }

    /**
     * What the README tells users to add on Java 22 and later, so that jwal preallocates
     * unsynced segments with fallocate: the figures are of the JVM the suite runs on, as a user
     * would run it. Nothing on Java 17.
     */
    static List<String> nativeAccess() {
        return Runtime.version().feature() >= 22 ? List.of("--enable-native-access=ALL-UNNAMED") : List.of();
    }

    private static String[] with(String option) {
        List<String> options = new ArrayList<>(nativeAccess());
        options.add(option);
        return options.toArray(String[]::new);
    }

    private static Collection<RunResult> run(Path out, String name, ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.resultFormat(ResultFormatType.JSON).result(out.resolve("jmh-" + name + ".json").toString())
                .build()).run();
    }
}

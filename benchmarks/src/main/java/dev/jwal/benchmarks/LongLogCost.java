package dev.jwal.benchmarks;

import dev.jwal.core.SyncPolicy;
import dev.jwal.core.WalOptions;
import dev.jwal.core.log.LogCursor;
import dev.jwal.core.log.WalLog;
import dev.jwal.test.ReadCountingDisk;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What a long application log costs as it grows (issue 35): for each length N, a {@link WalLog}
 * of N records written through the public API ({@code NONE}, {@code appendAll} of 1,000, 64 MB
 * segments), then, each in a fresh JVM: the open after a clean close (time, bytes read, heap
 * retained while the log is open), 1,000 random reads ({@code read(i).next()}: time and positional
 * reads per read, the index files' loads included), a sequential cursor over the whole log (GB/s,
 * from the page cache); then the same open after a kill -9 in the middle of appending.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.jwal.benchmarks.LongLogCost DIR
 * [--records 1000000,10000000] [--record-bytes 100] [--plot FILE.png]}: logs are kept under DIR
 * between runs of the same N and size, so a second run measures without writing again; the plot
 * shows open time and heap retained against N.
 */
public final class LongLogCost {

    private static final int BATCH = 1000;

    private LongLogCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--measure")) {
            measure(Path.of(args[1]));
            return;
        }
        if (args[0].equals("--append-then-halt")) {
            appendThenHalt(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
            return;
        }
        if (args[0].equals("--write-only")) {
            // for tools/etcd-read: a log of N records of B bytes in segments of S bytes
            WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.NONE).segmentSize(Long.parseLong(args[4]))
                    .build();
            try (WalLog wal = WalLog.open(Path.of(args[1]), options)) {
                appendRecords(wal, Long.parseLong(args[2]), Integer.parseInt(args[3]));
            }
            return;
        }
        if (args[0].equals("--read-only")) {
            try (WalLog wal = WalLog.open(Path.of(args[1]), WalOptions.builder().syncPolicy(SyncPolicy.NONE).build())) {
                long records = 0;
                LogCursor cursor = wal.read(wal.firstIndex());
                while (cursor.hasNext()) {
                    cursor.next();
                    records++;
                }
                System.out.printf(Locale.ROOT, "jwal read it back: %d records, last index %d%n", records,
                        wal.lastIndex());
            }
            return;
        }
        Path root = Path.of(args[0]);
        List<Long> counts = List.of(1_000_000L, 10_000_000L);
        int recordBytes = 100;
        Path plot = null;
        List<double[]> points = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--records" -> {
                    counts = new ArrayList<>();
                    for (String n : args[++i].split(",")) {
                        counts.add(Long.parseLong(n.replace("_", "")));
                    }
                }
                case "--record-bytes" -> recordBytes = Integer.parseInt(args[++i]);
                case "--plot" -> plot = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(root);
        System.out.println("| records | bytes each | on disk | open after close | read at open | heap retained "
                + "| 1,000 random reads | positional reads each | cursor | open after kill -9 | read at open |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (long count : counts) {
            Path log = root.resolve("log-" + count + "x" + recordBytes);
            if (!Files.isDirectory(log)) {
                write(log, count, recordBytes);
            }
            String[] clean = child("--measure", log.toString());
            long onDisk;
            try (var files = Files.walk(log)) {
                onDisk = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            // a writer killed half way through a segment's worth of appends: its tail is read at open
            Path crashed = root.resolve("crashed-" + count + "x" + recordBytes);
            copy(log, crashed);
            Process halted = new ProcessBuilder(javaCommand("--append-then-halt", crashed.toString(),
                    String.valueOf(recordBytes), String.valueOf((32L << 20) / (recordBytes + 28)))).inheritIO().start();
            if (halted.waitFor() != 0) {
                throw new IllegalStateException("the appending child failed");
            }
            String[] afterCrash = child("--measure", crashed.toString());
            deleteRecursively(crashed);
            points.add(new double[] {count, Double.parseDouble(clean[0].replace(" s", "")), megabytes(clean[2])});
            System.out.printf(Locale.ROOT, "| %,d | %d | %.2f GB | %s | %s | %s | %s | %s | %s | %s | %s |%n", count,
                    recordBytes, onDisk / 1e9, clean[0], clean[1], clean[2], clean[3], clean[4], clean[5],
                    afterCrash[0], afterCrash[1]);
        }
        if (plot != null) {
            LongLogPlot.write(points, recordBytes, plot);
        }
    }

    private static double megabytes(String size) {
        return size.endsWith(" GB") ? Double.parseDouble(size.replace(" GB", "")) * 1000
                : Double.parseDouble(size.replace(" MB", ""));
    }

    private static void write(Path log, long count, int recordBytes) {
        long start = System.nanoTime();
        WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.NONE).build();
        try (WalLog wal = WalLog.open(log, options)) {
            appendRecords(wal, count, recordBytes);
        }
        System.err.printf(Locale.ROOT, "wrote %,d records of %d bytes in %.1f s%n", count, recordBytes,
                (System.nanoTime() - start) / 1e9);
    }

    private static void appendRecords(WalLog wal, long count, int recordBytes) {
        SplittableRandom random = new SplittableRandom(count);
        List<byte[]> batch = new ArrayList<>(BATCH);
        for (long i = 0; i < count; i++) {
            byte[] record = new byte[recordBytes];
            random.nextBytes(record);
            batch.add(record);
            if (batch.size() == BATCH || i == count - 1) {
                wal.appendAll(batch);
                batch = new ArrayList<>(BATCH);
            }
        }
    }

    /** Opens the log, appends {@code count} records, and halts as a kill -9 would: nothing closed. */
    private static void appendThenHalt(Path log, int recordBytes, long count) {
        WalLog wal = WalLog.open(log, WalOptions.builder().syncPolicy(SyncPolicy.NONE).build());
        appendRecords(wal, count, recordBytes);
        Runtime.getRuntime().halt(0);
    }

    /** In a fresh JVM: prints the open's time, bytes read and heap retained, then the reads' figures. */
    private static void measure(Path log) {
        long baseline = heapAfterGc();
        ReadCountingDisk disk = new ReadCountingDisk();
        WalOptions options = WalOptions.builder().syncPolicy(SyncPolicy.NONE).disk(disk).build();
        long start = System.nanoTime();
        WalLog wal = WalLog.open(log, options);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        long readAtOpen = disk.bytesRead();
        long retained = heapAfterGc() - baseline;
        long last = wal.lastIndex();

        SplittableRandom random = new SplittableRandom(42);
        disk.reset();
        start = System.nanoTime();
        long checksum = 0;
        for (int i = 0; i < 1000; i++) {
            long index = random.nextLong(wal.firstIndex(), last + 1);
            checksum += wal.read(index).next().data()[0];
        }
        double randomMs = (System.nanoTime() - start) / 1e6;
        double readsEach = disk.reads() / 1000.0;

        start = System.nanoTime();
        long bytes = 0;
        LogCursor cursor = wal.read(wal.firstIndex());
        while (cursor.hasNext()) {
            bytes += cursor.next().data().length;
        }
        double cursorGbps = bytes / ((System.nanoTime() - start) / 1e9) / 1e9;
        wal.close();
        System.out.printf(Locale.ROOT, "%.2f s|%s|%s|%.0f ms|%.2f|%.2f GB/s (%d)%n", openSeconds, size(readAtOpen),
                size(retained), randomMs, readsEach, cursorGbps, checksum & 1);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String size(long bytes) {
        return bytes >= 1 << 30 ? String.format(Locale.ROOT, "%.2f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String[] child(String... args) throws Exception {
        Process process = new ProcessBuilder(javaCommand(args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
            line = out.readLine();
        }
        if (process.waitFor() != 0 || line == null) {
            throw new IllegalStateException("the measuring child failed");
        }
        return line.split("\\|");
    }

    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), LongLogCost.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static void copy(Path from, Path to) throws Exception {
        deleteRecursively(to);
        try (var files = Files.walk(from)) {
            for (Path path : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws Exception {
        if (!Files.exists(path)) {
            return;
        }
        try (var files = Files.walk(path)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

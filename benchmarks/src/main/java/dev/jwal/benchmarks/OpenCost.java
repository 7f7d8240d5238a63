package dev.jwal.benchmarks;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalReplay;
import dev.jwal.core.WalReplayHandler;
import dev.jwal.core.WalSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What opening a WAL for writing costs, as a restarting node pays it: {@code Wal.open} (which
 * fdatasyncs every segment it will read and the directory) and a streaming replay to the end
 * (which also looks past the end of the last segment for records a zeroed length field would
 * hide). Three cases: a 1 GB WAL after a clean close; the same after a process crash that left
 * {@code crashMiB} of saves unsynced in the page cache; a new WAL, one empty preallocated segment,
 * where the look past the end reads the whole segment.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.jwal.benchmarks.OpenCost DIR [GiB]}
 */
public final class OpenCost {

    private static final long SEGMENT = 64L << 20;
    private static final int ENTRY_BYTES = 4096;

    private OpenCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--crash-writer")) {
            crashWriter(Path.of(args[1]), Long.parseLong(args[2]));
            return;
        }
        Path root = Path.of(args.length > 0 ? args[0] : "bench-open");
        double gib = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        Files.createDirectories(root);
        Path wal = root.resolve("wal-" + System.nanoTime());
        long entries = (long) (gib * (1L << 30) / ENTRY_BYTES);
        long last = write(wal, 0, entries, SyncPolicy.NONE, true);
        System.out.printf("%s: %d entries of %d bytes (%.2f GiB)%n", wal, entries, ENTRY_BYTES, gib);
        for (int run = 1; run <= 3; run++) {
            report("after a clean close, run " + run, wal);
        }
        long crashEntries = (256L << 20) / ENTRY_BYTES;
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), OpenCost.class.getName(), "--crash-writer", wal.toString(),
                String.valueOf(crashEntries)).inheritIO().start();
        if (child.waitFor() != 0) {
            throw new IllegalStateException("the crash writer failed");
        }
        report("after a process crash with 256 MiB unsynced", wal);
        report("the next open, nothing left to sync", wal);
        Path fresh = root.resolve("wal-fresh-" + System.nanoTime());
        Wal.create(fresh, null, WalOptions.builder().segmentSize(SEGMENT).build()).close();
        for (int run = 1; run <= 3; run++) {
            report("a new WAL, one empty 64 MiB segment, run " + run, fresh);
        }
        System.out.println("last index written: " + last);
    }

    /** Appends entries after what the WAL holds, with NONE, and halts without syncing or closing. */
    private static void crashWriter(Path wal, long count) {
        WalOptions options = WalOptions.builder().segmentSize(SEGMENT).syncPolicy(SyncPolicy.NONE).build();
        Wal opened = Wal.open(wal, WalSnapshot.ZERO, options);
        WalReplay replay = opened.replay(ignore());
        long next = replay.lastIndex() + 1;
        byte[] data = new byte[ENTRY_BYTES];
        for (long i = 0; i < count; i += 64) {
            List<Entry> batch = new ArrayList<>(64);
            for (long j = 0; j < 64; j++) {
                batch.add(Entry.normal(1, next + i + j, data));
            }
            opened.save(new HardState(1, 1, next + i + 63), batch);
        }
        Runtime.getRuntime().halt(0);
    }

    private static long write(Path wal, long after, long count, SyncPolicy policy, boolean close) throws IOException {
        WalOptions options = WalOptions.builder().segmentSize(SEGMENT).syncPolicy(policy).build();
        Wal opened = Wal.create(wal, null, options);
        byte[] data = new byte[ENTRY_BYTES];
        for (long i = 0; i < count; i += 64) {
            List<Entry> batch = new ArrayList<>(64);
            for (long j = 0; j < 64 && i + j < count; j++) {
                batch.add(Entry.normal(1, after + i + j + 1, data));
            }
            opened.save(new HardState(1, 1, after + i + batch.size()), batch);
        }
        if (close) {
            opened.close();
        }
        return after + count;
    }

    private static void report(String what, Path wal) {
        long start = System.nanoTime();
        Wal opened = Wal.open(wal, WalSnapshot.ZERO, WalOptions.builder().segmentSize(SEGMENT).build());
        long afterOpen = System.nanoTime();
        WalReplay replay = opened.replay(ignore());
        long afterReplay = System.nanoTime();
        opened.close();
        System.out.printf("%-50s open %5d ms  replay %6d ms  (%d entries)%n", what,
                TimeUnit.NANOSECONDS.toMillis(afterOpen - start), TimeUnit.NANOSECONDS.toMillis(afterReplay - afterOpen),
                replay.entries());
    }

    private static WalReplayHandler ignore() {
        return new WalReplayHandler() {
            @Override
            public void entry(Entry entry) {
            }

            @Override
            public void truncated(long index) {
            }
        };
    }
}

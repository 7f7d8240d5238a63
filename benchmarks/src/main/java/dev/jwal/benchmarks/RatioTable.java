package dev.jwal.benchmarks;

import dev.jwal.benchmarks.SyncAlternation.Contestant;
import java.util.Locale;
import java.util.OptionalDouble;

/** The figures of one suite run as a Markdown table of ratios, each against the target it serves. */
final class RatioTable {

    private RatioTable() {
    }

    static String render(Figures f) {
        StringBuilder md = new StringBuilder();
        OptionalDouble fsync4k = f.score("DiskCeilingBenchmark.fdatasync4k", 1);
        OptionalDouble sequential = f.score("DiskCeilingBenchmark.sequentialAppend", 1);
        md.append("Java ").append(Runtime.version().feature()).append(Suite.nativeAccess().isEmpty()
                ? ": unsynced segments preallocated by writing zeros"
                : ", " + String.join(" ", Suite.nativeAccess()) + ": unsynced segments preallocated by fallocate")
                .append(".\n\n");
        md.append("Disk ceiling (same run, same directory): ").append(num(fsync4k)).append(" × (4 KiB write + fdatasync)/s; ")
                .append(num(mb(sequential, 1 << 20))).append(" MB/s sustained unsynced 1 MiB appends.\n\n");

        md.append("The first four rows: medians over ").append(f.rounds.count())
                .append(" rounds in which each was measured in turn (`SyncAlternation`), each ratio the median of the")
                .append(" rounds' ratios, its range in brackets.\n\n");
        md.append("| workload | jwal | etcd 3.4 | jwal ÷ etcd | other ratio | target |\n");
        md.append("| --- | ---: | ---: | ---: | --- | --- |\n");

        syncRows(md, f, f.rounds);

        for (int size : new int[] {100, 10240}) {
            OptionalDouble entries = f.score("AppendBenchmark.saveBatch", 1, "size=" + size, "preallocate=true");
            OptionalDouble sparse = f.score("AppendBenchmark.saveBatch", 1, "size=" + size, "preallocate=false");
            OptionalDouble etcdEntries = etcd(f, "nosync", size, 100, 1, EtcdFigures.Run::entriesPerSec);
            if (size == 100) {
                row(md, "NONE, 100 × 100 B per save (entries/s)", entries, etcdEntries,
                        "sparse segments: " + num(sparse) + ", " + ratio(sparse, etcdEntries) + " etcd"
                                + atCeiling(f, sequential, size, etcdEntries), "≥ 2× etcd");
            } else {
                OptionalDouble ceiling = mb(sequential, 1 << 20);
                OptionalDouble sparseMb = mb(sparse, size);
                row(md, "NONE, 100 × 10 KiB per save (MB/s)", mb(entries, size), mb(etcdEntries, size),
                        "÷ append ceiling " + ratio(mb(entries, size), ceiling) + "; sparse segments: " + num(sparseMb)
                                + ", " + ratio(sparse, etcdEntries) + " etcd, " + ratio(sparseMb, ceiling) + " the ceiling"
                                + atCeiling(f, sequential, size, etcdEntries),
                        "≥ 1.5× etcd; ≥ 0.9× ceiling");
            }
        }

        OptionalDouble etcdReplay = etcd(f, "replay", ReplayBenchmark.SIZE, 100, 1, EtcdFigures.Run::mbPerSec);
        row(md, "Replay of 512 MiB, streaming `replay`, `" + Suite.SMALL_HEAP + "` (MB/s)",
                perSecond(f.scoreInHeap("ReplayBenchmark.replay", Suite.SMALL_HEAP)), etcdReplay, "",
                "≥ 5× etcd's ReadAll");
        row(md, "Replay of 512 MiB, streaming `replay`, default heap (MB/s)",
                perSecond(f.scoreInHeap("ReplayBenchmark.replay", null)), etcdReplay, "", "");
        row(md, "Replay of 512 MiB, `readAll`, default heap (MB/s)",
                perSecond(f.scoreInHeap("ReplayBenchmark.readAll", null)), etcdReplay, "", "");

        for (int size : new int[] {100, 10240}) {
            OptionalDouble allocated = f.secondary("AppendBenchmark.saveBatch", "gc.alloc.rate.norm", 1, "size=" + size,
                    "preallocate=true");
            md.append("| Allocation per appended ").append(size).append(" B entry (bytes, `-prof gc`) | ")
                    .append(num(allocated)).append(" | | | data size + 64 = ").append(size + 64)
                    .append(" | ≤ data size + 64 |\n");
        }

        md.append("\n#### etcd's `BenchmarkWrite*` workloads (ALWAYS: one fdatasync per save; entries/s)\n\n");
        md.append("| entry size | entries per save | jwal | etcd 3.4 | jwal ÷ etcd |\n| ---: | ---: | ---: | ---: | ---: |\n");
        for (int size : new int[] {100, 1000}) {
            for (int batch : new int[] {1, 10, 100, 500, 1000}) {
                OptionalDouble saves = f.score("EtcdWriteBenchmark.save", 1, "size=" + size, "batch=" + batch);
                OptionalDouble entries = saves.isPresent() ? OptionalDouble.of(saves.getAsDouble() * batch) : saves;
                OptionalDouble etcdEntries = etcd(f, "write", size, batch, 1, EtcdFigures.Run::entriesPerSec);
                md.append("| ").append(size).append(" | ").append(batch).append(" | ").append(num(entries)).append(" | ")
                        .append(num(etcdEntries)).append(" | ").append(ratio(entries, etcdEntries)).append(" |\n");
            }
        }

        md.append("\n#### Saves/s against writer threads (one 100 B entry per save, each writer waiting for durability)\n\n");
        md.append("| policy |");
        for (int threads : Suite.THREADS) {
            md.append(" ").append(threads).append(" |");
        }
        md.append("\n| --- |");
        for (int ignored : Suite.THREADS) {
            md.append(" ---: |");
        }
        md.append('\n');
        for (String policy : new String[] {"ALWAYS", "GROUP", "INTERVAL", "NONE"}) {
            md.append("| jwal ").append(policy).append(" |");
            for (int threads : Suite.THREADS) {
                md.append(" ").append(num(f.score("ConcurrentSaveBenchmark.saveAndWait", threads, "policy=" + policy)))
                        .append(" |");
            }
            md.append('\n');
        }
        md.append("| etcd 3.4 |");
        for (int threads : Suite.THREADS) {
            md.append(" ").append(num(etcd(f, "concurrent", 100, 1, threads, EtcdFigures.Run::savesPerSec))).append(" |");
        }
        md.append('\n');
        return md.toString();
    }

    /**
     * The fsync-bound rows from {@link SyncAlternation}: each rate the median of its rounds, each
     * ratio the median of the rounds' ratios, with their range.
     */
    private static void syncRows(StringBuilder md, Figures f, SyncAlternation.Rounds r) {
        boolean etcd = r.has(Contestant.ETCD_1);
        OptionalDouble etcd1 = etcd ? median(r, Contestant.ETCD_1) : OptionalDouble.empty();
        row(md, "ALWAYS, 1 writer, 1 × 100 B per save (saves/s)", median(r, Contestant.ALWAYS_1), etcd1,
                ratios(r, Contestant.ALWAYS_1, Contestant.ETCD_1),
                "÷ fdatasync ceiling " + ratios(r, Contestant.ALWAYS_1, Contestant.CEILING)
                        + "; ÷ the ceiling handed off " + ratios(r, Contestant.ALWAYS_1, Contestant.HANDED_OFF),
                "≥ 1.0× etcd; ≥ 0.95× ceiling");
        row(md, "GROUP, 1 writer, 1 × 100 B per save (saves/s)", median(r, Contestant.GROUP_1), etcd1,
                ratios(r, Contestant.GROUP_1, Contestant.ETCD_1),
                "÷ fdatasync ceiling " + ratios(r, Contestant.GROUP_1, Contestant.CEILING),
                "≥ 1.0× etcd; ≥ 0.95× ceiling");
        OptionalDouble etcd64 = etcd(f, "concurrent", 100, 1, 64, EtcdFigures.Run::savesPerSec);
        row(md, "GROUP, 64 writers, 1 × 100 B per save (saves/s)", median(r, Contestant.GROUP_64), etcd64,
                ratio(median(r, Contestant.GROUP_64), etcd64),
                "÷ etcd 1 writer " + ratios(r, Contestant.GROUP_64, Contestant.ETCD_1),
                "≥ 15× etcd's 1-writer saves/s");
        md.append("| The fdatasync ceiling handed to another thread, as jwal's writer does (saves/s) | ")
                .append(num(median(r, Contestant.HANDED_OFF))).append(" | | | ÷ fdatasync ceiling ")
                .append(ratios(r, Contestant.HANDED_OFF, Contestant.CEILING)).append(" | |\n");
    }

    /**
     * The entries/s that the unsynced append ceiling allows at this entry size's framed bytes,
     * as a multiple of etcd's: no writer of this file format can beat etcd by more on this disk.
     */
    private static String atCeiling(Figures f, OptionalDouble sequentialOps, int size, OptionalDouble etcdEntries) {
        Double framed = f.framedBytes.get(size);
        if (framed == null || sequentialOps.isEmpty()) {
            return "";
        }
        OptionalDouble most = OptionalDouble.of(sequentialOps.getAsDouble() * (1 << 20) / framed);
        return String.format(Locale.ROOT, "; the append ceiling at %.1f B a framed entry allows %s entries/s, %s etcd",
                framed, num(most), ratio(most, etcdEntries));
    }

    private static OptionalDouble median(SyncAlternation.Rounds r, Contestant contestant) {
        return r.has(contestant) ? OptionalDouble.of(RoundRatios.median(r.of(contestant))) : OptionalDouble.empty();
    }

    private static String ratios(SyncAlternation.Rounds r, Contestant a, Contestant b) {
        return r.has(a) && r.has(b) ? RoundRatios.brief(r.ratios(a, b)) : "—";
    }

    private static void row(StringBuilder md, String workload, OptionalDouble jwal, OptionalDouble etcd, String other,
            String target) {
        row(md, workload, jwal, etcd, ratio(jwal, etcd), other, target);
    }

    private static void row(StringBuilder md, String workload, OptionalDouble jwal, OptionalDouble etcd,
            String jwalToEtcd, String other, String target) {
        md.append("| ").append(workload).append(" | ").append(num(jwal)).append(" | ").append(num(etcd)).append(" | ")
                .append(jwalToEtcd).append(" | ").append(other).append(" | ").append(target).append(" |\n");
    }

    private static OptionalDouble etcd(Figures f, String workload, int size, int batch, int threads,
            java.util.function.ToDoubleFunction<EtcdFigures.Run> value) {
        return f.etcd.find(workload, size, batch, threads).map(r -> OptionalDouble.of(value.applyAsDouble(r)))
                .orElse(OptionalDouble.empty());
    }

    static OptionalDouble mb(OptionalDouble perSecond, int bytesEach) {
        return perSecond.isPresent() ? OptionalDouble.of(perSecond.getAsDouble() * bytesEach / 1e6) : perSecond;
    }

    /** A replay's MB/s from its milliseconds per whole read. */
    private static OptionalDouble perSecond(OptionalDouble millis) {
        return millis.isPresent() ? OptionalDouble.of(ReplayBenchmark.BYTES / 1e6 / (millis.getAsDouble() / 1000))
                : millis;
    }

    static String ratio(OptionalDouble a, OptionalDouble b) {
        if (a.isEmpty() || b.isEmpty() || b.getAsDouble() == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f×", a.getAsDouble() / b.getAsDouble());
    }

    static String num(OptionalDouble value) {
        if (value.isEmpty()) {
            return "—";
        }
        double v = value.getAsDouble();
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}

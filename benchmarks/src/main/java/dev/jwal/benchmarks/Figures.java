package dev.jwal.benchmarks;

import java.util.Collection;
import java.util.OptionalDouble;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** jwal's figures from one suite run, looked up by benchmark and parameters, and etcd's beside them. */
final class Figures {

    private final Collection<RunResult> results;
    final EtcdFigures etcd;
    /** The fsync-bound figures, taken in alternating rounds. */
    final SyncAlternation.Rounds rounds;
    /** {@link FramedSize#bytesPerEntry} of the unsynced appends' entry sizes, when measured. */
    final java.util.Map<Integer, Double> framedBytes;

    Figures(Collection<RunResult> results, EtcdFigures etcd, SyncAlternation.Rounds rounds,
            java.util.Map<Integer, Double> framedBytes) {
        this.results = results;
        this.etcd = etcd;
        this.rounds = rounds;
        this.framedBytes = framedBytes;
    }

    /**
     * The primary score of a benchmark method run with these threads and parameters (name=value
     * pairs), if it ran.
     */
    OptionalDouble score(String benchmark, int threads, String... params) {
        return find(benchmark, threads, params).map(r -> OptionalDouble.of(r.getPrimaryResult().getScore()))
                .orElse(OptionalDouble.empty());
    }

    /**
     * The primary score of a single-threaded benchmark method run with {@code heapOption} among
     * its JVM options ({@code -Xmx64m}), or, for {@code null}, run without any {@code -Xmx}.
     */
    OptionalDouble scoreInHeap(String benchmark, String heapOption) {
        return find(benchmark, 1, r -> ranIn(r, heapOption)).map(r -> OptionalDouble.of(r.getPrimaryResult().getScore()))
                .orElse(OptionalDouble.empty());
    }

    private static boolean ranIn(RunResult result, String heapOption) {
        Collection<String> options = result.getParams().getJvmArgs();
        return heapOption == null ? options.stream().noneMatch(option -> option.startsWith("-Xmx"))
                : options.contains(heapOption);
    }

    /** A secondary score, such as {@code gc.alloc.rate.norm}. */
    OptionalDouble secondary(String benchmark, String metric, int threads, String... params) {
        return find(benchmark, threads, params).map(r -> {
            Result<?> result = r.getSecondaryResults().get(metric);
            return result == null ? OptionalDouble.empty() : OptionalDouble.of(result.getScore());
        }).orElse(OptionalDouble.empty());
    }

    private java.util.Optional<RunResult> find(String benchmark, int threads, String... params) {
        return find(benchmark, threads, r -> matches(r, params));
    }

    private java.util.Optional<RunResult> find(String benchmark, int threads,
            java.util.function.Predicate<RunResult> also) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith(benchmark)
                && r.getParams().getThreads() == threads && also.test(r)).findFirst();
    }

    private static boolean matches(RunResult result, String... params) {
        for (String pair : params) {
            String[] kv = pair.split("=", 2);
            if (!kv[1].equals(result.getParams().getParam(kv[0]))) {
                return false;
            }
        }
        return true;
    }
}

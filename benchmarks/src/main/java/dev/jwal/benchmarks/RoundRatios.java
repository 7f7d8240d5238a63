package dev.jwal.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** How a benchmark program sums up its per-round ratios: the median, and the range as spread. */
final class RoundRatios {

    private RoundRatios() {
    }

    /** "median 1.020×, range 0.887× to 1.115×". */
    static String summary(double[] ratios) {
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return String.format(Locale.ROOT, "median %.3f×, range %.3f× to %.3f×", median, sorted[0], sorted[n - 1]);
    }
}

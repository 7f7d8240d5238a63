package dev.jwal.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** How a benchmark program sums up its per-round ratios: the median, and the range as spread. */
final class RoundRatios {

    private RoundRatios() {
    }

    /** "median 1.020×, range 0.887× to 1.115×". */
    static String summary(double[] ratios) {
        double[] sorted = sorted(ratios);
        return String.format(Locale.ROOT, "median %.3f×, range %.3f× to %.3f×", median(ratios), sorted[0],
                sorted[sorted.length - 1]);
    }

    /** "1.02× (0.89–1.12×)": for a table cell. */
    static String brief(double[] ratios) {
        double[] sorted = sorted(ratios);
        return String.format(Locale.ROOT, "%.2f× (%.2f–%.2f×)", median(ratios), sorted[0], sorted[sorted.length - 1]);
    }

    static double median(double[] values) {
        double[] sorted = sorted(values);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] sorted(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted;
    }
}

package dev.jwal.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code etcd-walbench} (the Go driver of {@code compare-etcd.sh}) measured: one flat JSON
 * object a line.
 */
final class EtcdFigures {

    /** One run of the driver. */
    record Run(String workload, int size, int batch, int threads, double savesPerSec, double entriesPerSec,
            double mbPerSec) {
    }

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-0-9.eE+]+)");

    private final List<Run> runs = new ArrayList<>();

    EtcdFigures() {
    }

    /** Figures measured earlier, one line each. */
    static EtcdFigures read(Path file) throws IOException {
        EtcdFigures figures = new EtcdFigures();
        for (String line : Files.readAllLines(file)) {
            figures.add(line);
        }
        return figures;
    }

    /** Adds one line of the driver's output; other lines are ignored. */
    void add(String line) {
        if (line.startsWith("{")) {
            runs.add(parse(line));
        }
    }

    /** One line of the driver's output. */
    static Run parse(String line) {
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("\"", ""));
        }
        if (!fields.containsKey("workload")) {
            throw new IllegalArgumentException("not a line of etcd-walbench's output: " + line);
        }
        return new Run(fields.get("workload"), Integer.parseInt(fields.get("size")),
                Integer.parseInt(fields.get("batch")), Integer.parseInt(fields.get("threads")),
                Double.parseDouble(fields.getOrDefault("savesPerSec", "0")),
                Double.parseDouble(fields.getOrDefault("entriesPerSec", "0")),
                Double.parseDouble(fields.getOrDefault("mbPerSec", "0")));
    }

    Optional<Run> find(String workload, int size, int batch, int threads) {
        return runs.stream().filter(r -> r.workload().equals(workload) && r.size() == size && r.batch() == batch
                && r.threads() == threads).findFirst();
    }

    boolean isEmpty() {
        return runs.isEmpty();
    }
}

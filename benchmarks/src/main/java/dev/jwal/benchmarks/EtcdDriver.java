package dev.jwal.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code etcd-walbench}, the Go driver built by {@code compare-etcd.sh}, for one workload on
 * the directory under test, just before jwal's run of the same workload, so that the two meet
 * the disk in the same state. Each result line goes to the figures and to {@code etcd.jsonl}.
 */
final class EtcdDriver {

    private final Path executable;
    private final String disk;
    private final int seconds;
    private final Path log;
    private final EtcdFigures figures;

    EtcdDriver(Path executable, String disk, int seconds, Path log, EtcdFigures figures) throws IOException {
        this.executable = executable;
        this.disk = disk;
        this.seconds = seconds;
        this.log = log;
        this.figures = figures;
        Files.writeString(log, "");
    }

    /** Runs one workload and keeps its figures, for the suite's table. */
    void run(String workload, int size, int batch, int threads) throws IOException {
        figures.add(execute(workload, size, batch, threads));
    }

    /** Runs one workload and returns its figures without keeping them: one round of several. */
    EtcdFigures.Run measure(String workload, int size, int batch, int threads) throws IOException {
        return EtcdFigures.parse(execute(workload, size, batch, threads));
    }

    private String execute(String workload, int size, int batch, int threads) throws IOException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-dir", disk, "-seconds",
                Integer.toString(seconds), "-workload", workload, "-size", Integer.toString(size), "-batch",
                Integer.toString(batch), "-threads", Integer.toString(threads)));
        String output = runDriver(command);
        System.out.println("etcd: " + output);
        Files.writeString(log, output + System.lineSeparator(), StandardOpenOption.APPEND);
        return output;
    }

    /** Runs the driver with {@code command}, its errors passed through; returns what it printed. */
    static String runDriver(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (process.waitFor() != 0) {
                throw new IOException("etcd-walbench failed: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }
}

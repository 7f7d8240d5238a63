package dev.jwal.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample app's jar running in a child JVM, its output copied to a log file and watched for
 * the lines that say it is ready and that a snapshot has started.
 */
final class SampleProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("jwal sample ready on port (\\d+) \\(actuator on port (\\d+)\\)");
    private static final Pattern SNAPSHOT_STARTED = Pattern.compile("Snapshot at index (\\d+) started");

    private final Process process;
    private final Path log;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private volatile int managementPort;
    private final CompletableFuture<Long> snapshotStarted = new CompletableFuture<>();

    private SampleProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::copyOutput, "sample-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -jar} on the jar with the given application arguments. */
    static SampleProcess start(Path jar, Path log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new SampleProcess(process, log);
    }

    /** The HTTP port, once the app says it is ready; fails if it exits first. */
    int awaitReady() throws Exception {
        return port.get(2, TimeUnit.MINUTES);
    }

    /** The actuator's port, once {@link #awaitReady()} has returned. */
    int managementPort() {
        return managementPort;
    }

    /** Completes with the snapshot's index when the app logs that a snapshot has started. */
    CompletableFuture<Long> snapshotStarted() {
        return snapshotStarted;
    }

    /** Waits for the app to exit by itself (a refused startup); returns its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the app did not exit:\n" + tail());
        }
        return process.exitValue();
    }

    /** Everything the app printed so far. */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** SIGKILL: the JVM gets no chance to flush, sync or close anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The last lines of the app's output, for a failure message. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Stops the app as an operator would (SIGTERM), letting it shut down cleanly. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    managementPort = Integer.parseInt(ready.group(2));
                    port.complete(Integer.parseInt(ready.group(1)));
                }
                Matcher snapshot = SNAPSHOT_STARTED.matcher(line);
                if (snapshot.find()) {
                    snapshotStarted.complete(Long.parseLong(snapshot.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("the app exited before it was ready:\n" + tail()));
        snapshotStarted.completeExceptionally(new IllegalStateException("the app exited"));
    }
}

package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer in a child JVM saves under {@code ALWAYS} or {@code GROUP} and prints each index once
 * the WAL says it is durable; the parent kills it with SIGKILL after a random number of them,
 * reopens the WAL as a restarting node would, and checks every printed index is there with its
 * bytes. Several cycles on one directory, alternating the policies; each writer recovers what the
 * last one left.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProcessKillTest {

    @TempDir
    Path temp;

    @Test
    void everyAcknowledgedSaveSurvivesSigkill() throws Exception {
        Path dir = temp.resolve("wal");
        SplittableRandom random = new SplittableRandom(2026_11_25L);
        long acknowledged = 0;
        for (int cycle = 0; cycle < 6; cycle++) {
            SyncPolicy policy = cycle % 2 == 0 ? SyncPolicy.ALWAYS : SyncPolicy.GROUP;
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), KillWriter.class.getName(), dir.toString(),
                    policy.name()).redirectError(ProcessBuilder.Redirect.appendTo(temp.resolve("writer.log").toFile()))
                    .start();
            int killAfter = 50 + random.nextInt(400);
            List<Long> acks = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("durable ")) {
                        acks.add(Long.parseLong(line.substring(8)));
                        if (acks.size() == killAfter) {
                            writer.destroyForcibly();
                            break; // destroying the process closes its output to us
                        }
                    }
                }
            } catch (IOException closedByTheKill) {
                // the rest of its output went with it
            }
            assertThat(writer.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(acks).as("cycle %d under %s; the writer said: %s", cycle, policy,
                    Files.readString(temp.resolve("writer.log"))).hasSizeGreaterThanOrEqualTo(killAfter);
            acknowledged = Math.max(acknowledged, acks.stream().mapToLong(Long::longValue).max().orElse(0));

            List<Entry> entries = KillWriter.recover(dir, SyncPolicy.ALWAYS);
            assertThat(entries.size()).as("cycle %d: every printed index is there", cycle)
                    .isGreaterThanOrEqualTo((int) acknowledged);
            for (Entry entry : entries) {
                assertThat(entry.data()).as("cycle %d: entry %d", cycle, entry.index())
                        .isEqualTo(KillWriter.dataFor(entry.index()));
            }
        }
        assertThat(acknowledged).isGreaterThan(300);
    }

    /** The child: recovers the WAL, then saves until killed, printing each index once durable. */
    public static final class KillWriter {

        static byte[] dataFor(long index) {
            SplittableRandom random = new SplittableRandom(index);
            byte[] data = new byte[1 + random.nextInt(300)];
            random.nextBytes(data);
            return data;
        }

        /** Opens as a restarting node: a torn tail is repaired once; returns the entries. */
        static List<Entry> recover(Path dir, SyncPolicy policy) {
            WalOptions options = WalOptions.builder().syncPolicy(policy).segmentSize(256 * 1024).build();
            if (!WalDirectory.exists(dir, options)) {
                Wal.create(dir, WalFixtures.METADATA, options).close();
            }
            return WalFixtures.recover(dir, options).contents().entries();
        }

        public static void main(String[] args) {
            Path dir = Path.of(args[0]);
            SyncPolicy policy = SyncPolicy.valueOf(args[1]);
            List<Entry> recovered = recover(dir, policy);
            WalOptions options = WalOptions.builder().syncPolicy(policy).segmentSize(256 * 1024).build();
            Wal wal = Wal.open(dir, WalSnapshot.ZERO, options);
            wal.readAll();
            long[] next = {recovered.size() + 1};
            Object order = new Object();
            int threads = policy == SyncPolicy.GROUP ? 4 : 1;
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                writers.add(CompletableFuture.runAsync(() -> {
                    while (true) {
                        long index;
                        CompletableFuture<Void> durable;
                        synchronized (order) {
                            index = next[0]++;
                            durable = wal.saveAsync(new HardState(1, 1, index),
                                    List.of(Entry.normal(1, index, dataFor(index))));
                        }
                        durable.join();
                        synchronized (System.out) {
                            System.out.println("durable " + index);
                            System.out.flush();
                        }
                    }
                }));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
        }
    }
}

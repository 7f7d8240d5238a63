package dev.jwal.cli;

import static dev.jwal.cli.JwalFixturesTest.jwal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only commands beside a writer that cuts a segment every few saves and purges all but
 * the newest two after every snapshot: each run answers as it would on a quiet directory (a torn
 * tail is allowed for verify and dump, whose last record may be in flight), never with a stack
 * trace, a missing file or a gap that purging made.
 */
class LiveDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void readOnlyCommandsAnswerBesideAWriterThatCutsAndPurges() throws Exception {
        Path dir = temp.resolve("live");
        WalOptions options = WalOptions.builder().segmentSize(8192).syncPolicy(SyncPolicy.NONE).preallocate(false)
                .build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong purged = new AtomicLong();
        try (Wal wal = Wal.create(dir, null, options)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                long index = 0;
                while (!stop.get()) {
                    List<Entry> batch = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        index++;
                        batch.add(Entry.normal(1, index, new byte[300]));
                    }
                    wal.save(new HardState(1, 1, index), batch);
                    if (index % 50 == 0) {
                        wal.saveSnapshot(new WalSnapshot(index, 1, null));
                        wal.releaseLockTo(index);
                        purged.addAndGet(wal.purge(2).size());
                    }
                }
            });
            try {
                for (int round = 0; round < 15 || purged.get() < 10; round++) {
                    for (String command : List.of("segments", "snapshots", "verify", "dump")) {
                        JwalFixturesTest.Result result = jwal(command, dir.toString(), "--format", "json");
                        String context = command + " round " + round + ": " + result.err();
                        assertThat(result.err().lines()).as(context).allMatch(line -> line.startsWith("jwal: note: ")
                                && line.endsWith(" purged while reading; reading again"));
                        if (command.equals("verify") || command.equals("dump")) {
                            assertThat(result.status()).as(context).isIn(ExitCodes.OK, ExitCodes.REPAIRABLE);
                        } else {
                            assertThat(result.status()).as(context).isZero();
                        }
                        assertThat(result.json().isObject()).as(context).isTrue();
                    }
                    assertThat(writer).as("the writer").isNotCompletedExceptionally();
                }
            } finally {
                stop.set(true);
                writer.join();
            }
        }
        assertThat(purged.get()).as("segments purged while the commands ran").isGreaterThanOrEqualTo(10);
    }
}

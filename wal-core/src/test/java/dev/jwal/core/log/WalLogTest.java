package dev.jwal.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application log: appends, conflicts, reads beside appends, compaction and reopening. */
class WalLogTest {

    @TempDir
    Path temp;

    private static final WalOptions SMALL = WalOptions.builder().segmentSize(16 * 1024).preallocate(false).build();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(LogCursor cursor) {
        List<String> read = new ArrayList<>();
        while (cursor.hasNext()) {
            LogRecord record = cursor.next();
            read.add(record.index() + "=" + new String(record.data(), StandardCharsets.UTF_8));
        }
        return read;
    }

    @Test
    void recordsGetConsecutiveIndexesAndReadBackInOrder() {
        try (WalLog log = WalLog.open(temp.resolve("log"), SMALL)) {
            assertThat(log.lastIndex()).isZero();
            assertThat(log.append(bytes("a"))).isEqualTo(1);
            assertThat(log.appendAll(List.of(bytes("b"), bytes("c")))).isEqualTo(2);
            CompletableFuture<Long> async = log.appendAsync(bytes("d"));
            CompletableFuture<Long> asyncAll = log.appendAllAsync(List.of(bytes("e"), bytes("f")));
            assertThat(async.join()).isEqualTo(4);
            assertThat(asyncAll.join()).isEqualTo(5);
            assertThat(log.lastIndex()).isEqualTo(6);
            assertThat(texts(log.read(1))).containsExactly("1=a", "2=b", "3=c", "4=d", "5=e", "6=f");
            assertThat(texts(log.read(5))).containsExactly("5=e", "6=f");
            assertThat(texts(log.read(7))).isEmpty();
        }
        // the files are an etcd WAL: one normal entry of term 1 per record, commit at the last
        Wal wal = Wal.openForRead(temp.resolve("log"), WalSnapshot.ZERO);
        var contents = wal.readAll();
        assertThat(contents.entries()).extracting(Entry::index).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(contents.entries()).allSatisfy(e -> assertThat(e.term()).isEqualTo(WalLog.TERM));
        assertThat(contents.hardState().commit()).isEqualTo(6);
        assertThat(contents.metadata()).isEqualTo(bytes("jwal-log/1"));
    }

    @Test
    void continuationsRunInAppendOrderWhateverThreadAppends() throws Exception {
        List<Long> applied = java.util.Collections.synchronizedList(new ArrayList<>());
        int threads = 4;
        int each = 300;
        try (WalLog log = WalLog.open(temp.resolve("log"), WalOptions.builder().syncPolicy(SyncPolicy.GROUP)
                .segmentSize(64 * 1024).preallocate(false).build())) {
            List<Thread> appenders = new ArrayList<>();
            List<CompletableFuture<Long>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                Thread appender = new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        futures.add(log.appendAsync(bytes("r"), index -> {
                            applied.add(index);
                            return index;
                        }));
                    }
                });
                appenders.add(appender);
                appender.start();
            }
            for (Thread appender : appenders) {
                appender.join();
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        }
        assertThat(applied).hasSize(threads * each);
        for (int i = 0; i < applied.size(); i++) {
            assertThat(applied.get(i)).as("the continuation applied %d-th", i).isEqualTo(i + 1L);
        }
    }

    @Test
    void aConditionalAppendWritesNothingWhenItsConditionFailsInTheLogsOrder() throws Exception {
        try (WalLog log = WalLog.open(temp.resolve("log"), SMALL)) {
            log.append(bytes("first"));
            assertThat(log.appendAsyncIf(() -> log.lastIndex() == 0, bytes("refused"), index -> index)).isEmpty();
            assertThat(log.lastIndex()).as("nothing was written").isEqualTo(1);
            assertThat(log.appendAsyncIf(() -> log.lastIndex() == 1, bytes("second"), index -> "applied " + index)
                    .orElseThrow().get()).isEqualTo("applied 2");
            assertThat(texts(log.read(1))).containsExactly("1=first", "2=second");
        }
    }

    @Test
    void anAppendExpectingAnotherLastIndexIsRefusedNamingBoth() {
        try (WalLog log = WalLog.open(temp.resolve("log"), SMALL)) {
            assertThat(log.appendExpecting(0, bytes("first"))).isEqualTo(1);
            assertThat(log.appendAllExpecting(1, List.of(bytes("second"), bytes("third")))).isEqualTo(2);
            assertThatThrownBy(() -> log.appendExpecting(1, bytes("late")))
                    .isInstanceOfSatisfying(AppendConflictException.class, e -> {
                        assertThat(e.expected()).isEqualTo(1);
                        assertThat(e.actual()).isEqualTo(3);
                    })
                    .hasMessageContaining("expected last index 1").hasMessageContaining("last index is 3")
                    .hasMessageContaining("nothing was written");
            assertThat(log.lastIndex()).isEqualTo(3);
        }
    }

    @Test
    void aCursorReadsAcrossSegmentsAndSeesRecordsAppendedWhileItReads() {
        try (WalLog log = WalLog.open(temp.resolve("log"), SMALL)) {
            for (int i = 1; i <= 300; i++) {
                log.append(bytes("r" + i + "-" + "x".repeat(100)));
            }
            LogCursor cursor = log.read(1);
            int seen = 0;
            while (cursor.hasNext()) {
                LogRecord record = cursor.next();
                assertThat(record.index()).isEqualTo(++seen);
                if (seen == 150) {
                    log.appendAll(List.of(bytes("late-1"), bytes("late-2")));
                }
            }
            assertThat(seen).isEqualTo(302);
            assertThat(log.status().segments()).hasSizeGreaterThan(2);
            log.append(bytes("later"));
            assertThat(cursor.hasNext()).as("a cursor at the end picks up later appends").isTrue();
            assertThat(cursor.next().index()).isEqualTo(303);
        }
    }

    @Test
    void compactionDropsOldSegmentsAndReopeningStartsAfterIt() {
        Path dir = temp.resolve("log");
        try (WalLog log = WalLog.open(dir, SMALL, 1)) {
            for (int i = 1; i <= 400; i++) {
                log.append(bytes("r" + i + "-" + "x".repeat(100)));
            }
            int before = log.status().segments().size();
            List<Path> deleted = log.compact(350);
            assertThat(deleted).isNotEmpty();
            assertThat(log.status().segments()).hasSizeLessThan(before);
            assertThat(log.compactedThrough()).isEqualTo(350);
            assertThat(log.firstIndex()).isEqualTo(351);
            assertThatThrownBy(() -> log.read(350)).isInstanceOf(RecordCompactedException.class)
                    .hasMessageContaining("record 350 was compacted").hasMessageContaining("the first it holds is 351");
            assertThat(texts(log.read(399))).hasSize(2);
            assertThatThrownBy(() -> log.compact(401)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("last acknowledged record is 400");
            log.append(bytes("after"));
        }
        try (WalLog log = WalLog.open(dir, SMALL, 1)) {
            assertThat(log.compactedThrough()).isEqualTo(350);
            assertThat(log.lastIndex()).isEqualTo(401);
            List<String> rest = texts(log.read(log.firstIndex()));
            assertThat(rest).hasSize(51);
            assertThat(rest.get(0)).startsWith("351=r351-");
            assertThat(rest.get(50)).isEqualTo("401=after");
            assertThat(log.append(bytes("next"))).isEqualTo(402);
        }
    }

    @Test
    void aRaftNodesWalIsNotOpenedAsAnApplicationLog() {
        Path raft = temp.resolve("raft");
        try (Wal wal = Wal.create(raft, bytes("node-1"), SMALL)) {
            wal.save(new HardState(1, 1, 1), List.of(Entry.normal(1, 1, bytes("x"))));
        }
        assertThatThrownBy(() -> WalLog.open(raft, SMALL)).isInstanceOf(NotAnApplicationLogException.class)
                .hasMessageContaining("metadata is 'node-1'").hasMessageContaining(raft.toString());

        Path overwritten = temp.resolve("overwritten");
        WalLog.open(overwritten, SMALL).close();
        try (Wal wal = Wal.open(overwritten, WalSnapshot.ZERO, SMALL)) {
            wal.readAll();
            wal.save(new HardState(1, 0, 2), List.of(Entry.normal(1, 1, bytes("a")), Entry.normal(1, 2, bytes("b"))));
            wal.save(new HardState(1, 0, 2), List.of(Entry.normal(1, 2, bytes("c"))));
        }
        assertThatThrownBy(() -> WalLog.open(overwritten, SMALL)).isInstanceOf(NotAnApplicationLogException.class)
                .hasMessageContaining("overwrites itself from index 2");
    }

    @Test
    void appendsFromManyThreadsUnderGroupAreAllThereInOrder() throws Exception {
        WalOptions group = WalOptions.builder().syncPolicy(SyncPolicy.GROUP).segmentSize(64 * 1024).preallocate(false)
                .build();
        Path dir = temp.resolve("log");
        try (WalLog log = WalLog.open(dir, group)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 200; i++) {
                        log.append(bytes(thread + ":" + i));
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(log.lastIndex()).isEqualTo(1600);
        }
        try (WalLog log = WalLog.open(dir, group)) {
            int[] nextPerThread = new int[8];
            LogCursor cursor = log.read(1);
            long index = 0;
            while (cursor.hasNext()) {
                LogRecord record = cursor.next();
                assertThat(record.index()).isEqualTo(++index);
                String[] parts = new String(record.data(), StandardCharsets.UTF_8).split(":");
                int thread = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).as("thread %d's records in its order", thread)
                        .isEqualTo(nextPerThread[thread]++);
            }
            assertThat(index).isEqualTo(1600);
        }
    }
}

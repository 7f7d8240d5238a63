package dev.jwal.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.SyncPolicy;
import dev.jwal.core.WalOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a log: what is there, then what comes, in order, once each, on the subscription's thread. */
class WalLogFollowTest {

    @TempDir
    Path temp;

    private static final WalOptions SMALL = WalOptions.builder().segmentSize(16 * 1024).preallocate(false).build();

    /** Collects what a subscription hands over, and completes futures at the points a test waits for. */
    static class Collector implements LogFollower {
        final List<Long> indexes = new ArrayList<>();
        final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> caughtUp = new ConcurrentLinkedQueue<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        final long target;
        final CompletableFuture<Void> reachedTarget = new CompletableFuture<>();
        final CountDownLatch firstCaughtUp = new CountDownLatch(1);
        volatile long expectedNext;

        Collector(long from, long target) {
            this.expectedNext = from;
            this.target = target;
        }

        @Override
        public void record(LogRecord record) {
            if (record.index() != expectedNext) {
                throw new AssertionError("record " + record.index() + " handed over where " + expectedNext + " was due");
            }
            expectedNext++;
            indexes.add(record.index());
            threads.add(Thread.currentThread().getName());
            if (record.index() == target) {
                reachedTarget.complete(null);
            }
        }

        @Override
        public void caughtUp(long lastIndex) {
            caughtUp.add(lastIndex);
            firstCaughtUp.countDown();
        }

        @Override
        public void ended(Throwable cause) {
            ended.complete(cause);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFollowerGetsWhatIsThereThenWhatComesAndIsToldWhenItHasCaughtUp() throws Exception {
        try (WalLog log = WalLog.open(temp.resolve("log"), SMALL)) {
            for (int i = 1; i <= 3; i++) {
                log.append(bytes("old-" + i));
            }
            Collector collector = new Collector(2, 5);
            LogSubscription subscription = log.follow(2, collector);
            assertThat(collector.firstCaughtUp.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(collector.caughtUp).containsExactly(3L);
            log.append(bytes("new-4"));
            log.append(bytes("new-5"));
            collector.reachedTarget.get(1, TimeUnit.MINUTES);
            subscription.cancel();
            assertThat(collector.ended.get(1, TimeUnit.MINUTES)).isNull();
            subscription.done().get(1, TimeUnit.MINUTES);
            assertThat(collector.indexes).containsExactly(2L, 3L, 4L, 5L);
            assertThat(collector.threads).allSatisfy(name -> assertThat(name).startsWith("jwal-follow "));
            assertThat(subscription.deliveredIndex()).isEqualTo(5);
            assertThat(log.subscriptions()).isEmpty();
        }
    }

    @Test
    void followersUnderLoadEachGetEveryRecordInOrderOnceWhateverTheirSpeed() throws Exception {
        WalOptions group = WalOptions.builder().syncPolicy(SyncPolicy.GROUP).segmentSize(64 * 1024).preallocate(false)
                .build();
        int writers = 8;
        int perWriter = 200;
        long total = (long) writers * perWriter;
        try (WalLog log = WalLog.open(temp.resolve("log"), group)) {
            List<Collector> collectors = new ArrayList<>();
            for (int f = 0; f < 4; f++) {
                Collector collector = f == 0 ? new SlowCollector(1, total) : new Collector(1, total);
                collectors.add(collector);
                log.follow(1, collector);
            }
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int writer = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        log.append(bytes(writer + ":" + i + ":" + "x".repeat(100)));
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            for (Collector collector : collectors) {
                collector.reachedTarget.get(2, TimeUnit.MINUTES);
                assertThat(collector.indexes).hasSize((int) total);
                assertThat(collector.ended).isNotDone();
            }
        }
        // closing the log ended every subscription, cleanly
    }

    /** A follower that does real work for each record: it falls behind the appenders. */
    static final class SlowCollector extends Collector {
        SlowCollector(long from, long target) {
            super(from, target);
        }

        @Override
        public void record(LogRecord record) {
            CRC32C crc = new CRC32C();
            for (int i = 0; i < 2_000; i++) {
                crc.update(record.data());
            }
            super.record(record);
        }
    }

    @Test
    void aCompactionPastAFollowerEndsItNamingTheRecord() throws Exception {
        try (WalLog log = WalLog.open(temp.resolve("log"), SMALL, 1)) {
            log.append(bytes("first"));
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Collector collector = new Collector(1, Long.MAX_VALUE) {
                @Override
                public void record(LogRecord record) {
                    super.record(record);
                    if (record.index() == 1) {
                        holding.countDown();
                        try {
                            release.await(1, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            };
            log.follow(1, collector);
            assertThat(holding.await(1, TimeUnit.MINUTES)).isTrue();
            for (int i = 2; i <= 600; i++) {
                log.append(bytes("r" + i + "-" + "x".repeat(100)));
            }
            assertThat(log.compact(590)).isNotEmpty();
            release.countDown();
            Throwable cause = collector.ended.get(1, TimeUnit.MINUTES);
            assertThat(cause).isInstanceOf(RecordCompactedException.class).hasMessageContaining("was compacted");
            assertThat(collector.indexes).as("what it was handed, it was handed in order")
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, collector.indexes.size()).boxed().toList());
        }
    }

    @Test
    void closingTheLogEndsItsSubscriptions() throws Exception {
        Collector collector = new Collector(1, 1);
        WalLog log = WalLog.open(temp.resolve("log"), SMALL);
        log.append(bytes("one"));
        log.follow(1, collector);
        collector.reachedTarget.get(1, TimeUnit.MINUTES);
        log.close();
        assertThat(collector.ended).isCompletedWithValue(null);
    }
}

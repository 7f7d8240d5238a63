package dev.jwal.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.log.LogFollower;
import dev.jwal.core.log.LogRecord;
import dev.jwal.core.log.LogSubscription;
import dev.jwal.core.log.WalLog;
import dev.jwal.spring.boot.actuate.WalFollowerMetrics;
import dev.jwal.spring.boot.actuate.WalHealthIndicator;
import dev.jwal.spring.boot.actuate.WalMetrics;
import dev.jwal.test.ReadCountingDisk;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * {@code wal.api=log}: a {@link WalLog} bean in place of the {@code Wal}, recovery streamed into
 * {@link WalLogRecoveryHandler}s, one API per directory, and health, meters and the follower gauges.
 */
class WalLogAutoConfigurationTests {

    @TempDir
    Path temp;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WalAutoConfiguration.class, WalLogAutoConfiguration.class));

    private ApplicationContextRunner log() {
        return runner.withPropertyValues("wal.api=log", "wal.directory=" + temp.resolve("log"),
                "wal.preallocate=false", "wal.segment-size=64KB", "wal.log.keep-segments=1");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLogBeanReplacesTheWalAndRecoveryStreamsTheRecordsAfterTheCompactionPoint() {
        log().run(context -> {
            assertThat(context).hasSingleBean(WalLog.class).doesNotHaveBean(Wal.class).hasSingleBean(WalLifecycle.class);
            WalLog log = context.getBean(WalLog.class);
            for (int i = 1; i <= 300; i++) {
                log.append(bytes("record " + i + " ".repeat(200)));
            }
            log.compact(120);
        });
        log().withUserConfiguration(Recording.class).run(context -> {
            Recording recording = context.getBean(Recording.class);
            assertThat(recording.compactedThrough).isEqualTo(120);
            assertThat(recording.indexes).hasSize(180).startsWith(121L).endsWith(300L);
            assertThat(recording.first).startsWith("record 121 ");
            assertThat(recording.lastIndex).isEqualTo(300);
            assertThat(context.getBean(WalLog.class).append(bytes("after"))).isEqualTo(301);
        });
    }

    @Test
    void startupReadsEachRecordAtMostTwiceHandingItOverInTheSecondRead() {
        log().run(context -> {
            WalLog log = context.getBean(WalLog.class);
            for (int i = 1; i <= 300; i++) {
                log.append(bytes("record " + i + " ".repeat(200)));
            }
        });
        // what startup reads on the thread that creates the bean; the WAL's background checks aside
        ReadCountingDisk disk = new ReadCountingDisk().countingOnly(Thread.currentThread());
        WalDirectory.validSnapshotEntries(temp.resolve("log"), WalOptions.builder().disk(disk).build());
        long onePass = disk.bytesRead();
        disk.reset();
        log().withUserConfiguration(Recording.class)
                .withBean(WalOptionsCustomizer.class, () -> builder -> builder.disk(disk)).run(context -> {
                    assertThat(context.getBean(Recording.class).indexes).hasSize(300);
                    // two passes, and the unused rest of the tail segment (wal.segment-size=64KB)
                    assertThat(disk.bytesRead()).as("read at startup, against one pass of %d", onePass)
                            .isLessThanOrEqualTo(2 * onePass + 64 * 1024);
                });
    }

    @Test
    void aRaftDirectoryIsRefusedAsALogAndALogAsARaftDirectory() {
        Path raft = temp.resolve("raft");
        try (Wal wal = Wal.create(raft, bytes("node-1"))) {
            wal.save(new HardState(1, 0, 1), List.of(Entry.normal(1, 1, bytes("x"))));
        }
        runner.withPropertyValues("wal.api=log", "wal.directory=" + raft).run(context -> {
            WalApiMismatchException mismatch = findCause(context.getStartupFailure(), WalApiMismatchException.class);
            assertThat(mismatch).hasMessageContaining("wal.api=raft").hasMessageContaining("wal.api is log");
            FailureAnalysis analysis = new WalFailureAnalyzer().analyze(mismatch);
            assertThat(analysis.getAction()).contains("set wal.api=raft");
        });
        log().run(context -> context.getBean(WalLog.class).append(bytes("event")));
        runner.withPropertyValues("wal.directory=" + temp.resolve("log")).run(context -> {
            WalApiMismatchException mismatch = findCause(context.getStartupFailure(), WalApiMismatchException.class);
            assertThat(mismatch.found()).isEqualTo(WalApi.LOG);
            assertThat(new WalFailureAnalyzer().analyze(mismatch).getAction()).contains("set wal.api=log");
        });
        assertThat(Wal.openForRead(temp.resolve("log"), WalSnapshot.ZERO).readAll().entries())
                .as("the refused raft startup wrote nothing").hasSize(1);
    }

    @Test
    void badLogSettingsNameTheirProperty() {
        log().withPropertyValues("wal.log.keep-segments=0").run(context -> assertThat(
                findCause(context.getStartupFailure(), InvalidConfigurationPropertyValueException.class).getName())
                .isEqualTo("wal.log.keep-segments"));
        log().withPropertyValues("wal.metadata=node-1").run(context -> assertThat(
                findCause(context.getStartupFailure(), InvalidConfigurationPropertyValueException.class).getName())
                .isEqualTo("wal.metadata"));
    }

    @Test
    void aTornTailIsRepairedAtStartupAsForARaftWal() throws IOException {
        log().run(context -> {
            WalLog log = context.getBean(WalLog.class);
            log.append(bytes("kept"));
            log.append(bytes("torn"));
        });
        Path segment;
        try (Stream<Path> files = Files.list(temp.resolve("log"))) {
            segment = files.filter(p -> p.toString().endsWith(".wal")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        var segments = dev.jwal.core.inspect.WalInspector.withDefaults().segments(temp.resolve("log"));
        long end = segments.get(segments.size() - 1).dataEnd();
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(end - 5);
        }
        log().withUserConfiguration(Recording.class).run(context -> {
            assertThat(context.getBean(WalStats.class).repairs()).isEqualTo(1);
            // the torn record was the second append's hard state: its entry reads back intact and is kept
            assertThat(context.getBean(Recording.class).indexes).containsExactly(1L, 2L);
        });
    }

    @Test
    void healthAndMetersWorkAndEachFollowerHasALagGauge() throws InterruptedException {
        log().run(context -> {
            WalLog log = context.getBean(WalLog.class);
            WalStats stats = context.getBean(WalStats.class);
            ObservedWal observed = context.getBean(ObservedWal.class);
            MeterRegistry registry = new SimpleMeterRegistry();
            new WalMetrics(observed, stats, "events").bindTo(registry);
            new WalFollowerMetrics(log, "events").bindTo(registry);
            for (int i = 0; i < 10; i++) {
                log.append(bytes("e" + i));
            }
            assertThat(registry.get("wal.last.index").gauge().value()).isEqualTo(10.0);
            assertThat(registry.get("wal.entries").functionCounter().count()).isEqualTo(10.0);

            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            LogSubscription stuck = log.follow(1, "projector", new LogFollower() {
                @Override
                public void record(LogRecord record) {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(registry.get("wal.follower.lag").tag("follower", "projector").tag("name", "events").gauge()
                    .value()).as("held on its first record, which it has not been handed yet").isEqualTo(10.0);
            Map<String, Object> details = new WalHealthIndicator(observed, stats, DataSize.ofBytes(0)).health()
                    .getDetails();
            assertThat(details).containsEntry("api", "log").containsEntry("lastIndex", 10L)
                    .containsEntry("compactedThrough", 0L);
            assertThat(details.get("followers").toString()).contains("projector");

            stuck.cancel();
            release.countDown();
            stuck.done().join();
            assertThat(registry.find("wal.follower.lag").gauges()).as("an ended follower's gauge is removed").isEmpty();
        });
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class Recording implements WalLogRecoveryHandler {
        final List<Long> indexes = new ArrayList<>();
        long compactedThrough = -1;
        long lastIndex = -1;
        String first;

        @Override
        public void begin(long compactedThrough) {
            this.compactedThrough = compactedThrough;
        }

        @Override
        public void record(LogRecord record) {
            if (first == null) {
                first = new String(record.data(), StandardCharsets.UTF_8);
            }
            indexes.add(record.index());
        }

        @Override
        public void end(long lastIndex) {
            this.lastIndex = lastIndex;
        }
    }
}

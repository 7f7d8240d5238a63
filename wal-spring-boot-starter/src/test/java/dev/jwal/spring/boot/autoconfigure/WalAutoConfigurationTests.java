package dev.jwal.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.ReadableAfterDamageException;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.spring.boot.actuate.WalHealthIndicator;
import dev.jwal.spring.boot.actuate.WalMetrics;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

public class WalAutoConfigurationTests {

    @TempDir
    Path temp;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WalAutoConfiguration.class));

    private ApplicationContextRunner inTemp() {
        return runner.withPropertyValues("wal.directory=" + temp.resolve("wal"), "wal.preallocate=false");
    }

    @Test
    void createsAWalWithEtcdsDefaults() {
        runner.withPropertyValues("wal.directory=" + temp.resolve("wal")).run(context -> {
            assertThat(context).hasSingleBean(Wal.class).hasSingleBean(WalLifecycle.class);
            WalOptions options = context.getBean(ConfiguredWalOptions.class).options();
            assertThat(options.segmentSize()).isEqualTo(64_000_000L);
            assertThat(options.syncPolicy()).isEqualTo(SyncPolicy.ALWAYS);
            assertThat(options.syncInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(options.maxRecordSize()).isEqualTo(10 * 1024 * 1024);
            assertThat(options.slowSyncThreshold()).isEqualTo(Duration.ofSeconds(1));
            assertThat(options.preallocate()).isTrue();
            assertThat(options.callerWrites()).isTrue();
            assertThat(context.getBean(Wal.class).directory()).isEqualTo(temp.resolve("wal").toAbsolutePath());
            assertThat(WalDirectory.exists(temp.resolve("wal"))).isTrue();
        });
    }

    @Test
    void bindsEveryProperty() {
        inTemp().withPropertyValues("wal.name=orders", "wal.segment-size=1MB", "wal.sync-policy=interval",
                "wal.sync-interval=250ms", "wal.group-wait=300us", "wal.group-max-bytes=64KB", "wal.max-record-size=2MB", "wal.slow-sync-threshold=50ms",
                "wal.metadata=node-7", "wal.repair-torn-tail=false", "wal.health.free-space-threshold=1GB",
                "wal.caller-writes=false", "wal.spin-wait=false", "wal.frame-rule=etcd-3-4")
                .run(context -> {
                    WalProperties properties = context.getBean(WalProperties.class);
                    assertThat(properties.getName()).isEqualTo("orders");
                    assertThat(properties.isRepairTornTail()).isFalse();
                    assertThat(properties.getHealth().getFreeSpaceThreshold().toGigabytes()).isOne();
                    WalOptions options = context.getBean(ConfiguredWalOptions.class).options();
                    assertThat(options.segmentSize()).isEqualTo(1024 * 1024);
                    assertThat(options.syncPolicy()).isEqualTo(SyncPolicy.INTERVAL);
                    assertThat(options.syncInterval()).isEqualTo(Duration.ofMillis(250));
                    assertThat(options.spinWait()).isFalse();
                    assertThat(options.frameRule()).isEqualTo(dev.jwal.core.FrameRule.ETCD_3_4);
                    assertThat(options.groupWait()).isEqualTo(Duration.ofNanos(300_000));
                    assertThat(options.groupMaxBytes()).isEqualTo(64 * 1024);
                    assertThat(options.maxRecordSize()).isEqualTo(2 * 1024 * 1024);
                    assertThat(options.slowSyncThreshold()).isEqualTo(Duration.ofMillis(50));
                    assertThat(options.preallocate()).isFalse();
                    assertThat(options.callerWrites()).isFalse();
                    context.getBean(Wal.class).close();
                    assertThat(Wal.openForRead(temp.resolve("wal"), WalSnapshot.ZERO).readAll().metadata())
                            .isEqualTo("node-7".getBytes(StandardCharsets.UTF_8));
                });
    }

    /** Issue 37: a record limit raised past the segment size was accepted silently. */
    @Test
    void aRecordLimitRaisedPastTheSegmentSizeFailsStartupNamingTheProperty() {
        inTemp().withPropertyValues("wal.segment-size=16MB", "wal.max-record-size=32MB").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("wal.max-record-size").hasMessageContaining("wal.segment-size");
        });
        // the default limit beside small segments is etcd's and stays allowed
        inTemp().withPropertyValues("wal.segment-size=2000000B").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aMissingDirectoryFailsStartupNamingTheProperty() {
        runner.run(context -> assertThat(context).getFailure().rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("wal.directory"));
    }

    @Test
    void anInvalidValueFailsStartupNamingItsProperty() {
        inTemp().withPropertyValues("wal.segment-size=1001B").run(context -> assertThat(context).getFailure()
                .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("wal.segment-size").hasMessageContaining("multiple of 8"));
        inTemp().withPropertyValues("wal.sync-interval=0s").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("wal.sync-interval"));
        inTemp().withPropertyValues("wal.group-wait=-1ms").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("wal.group-wait"));
        inTemp().withPropertyValues("wal.group-max-bytes=0B").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("wal.group-max-bytes"));
        inTemp().withPropertyValues("wal.max-record-size=8GB").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("wal.max-record-size"));
        inTemp().withPropertyValues("wal.sync-policy=sometimes").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("Failed to bind properties under 'wal.sync-policy'"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesAWal() {
        inTemp().withUserConfiguration(OwnWal.class).run(context -> {
            assertThat(context).hasSingleBean(Wal.class);
            assertThat(context.getBean(Wal.class).directory()).endsWith(Path.of("own"));
            assertThat(Files.exists(temp.resolve("wal"))).isFalse();
        });
    }

    @Test
    void isSwitchedOffByWalEnabledFalse() {
        inTemp().withPropertyValues("wal.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(Wal.class).doesNotHaveBean(WalProperties.class);
            assertThat(Files.exists(temp.resolve("wal"))).isFalse();
        });
    }

    @Test
    void replaysAnExistingWalIntoTheRecoveryHandlersAtTheSelectedSnapshot() {
        Path dir = temp.resolve("wal");
        try (Wal wal = Wal.create(dir, "node-1".getBytes(StandardCharsets.UTF_8),
                WalOptions.builder().preallocate(false).build())) {
            wal.save(new HardState(1, 1, 10), entries(1, 10));
            wal.saveSnapshot(new WalSnapshot(5, 1, null));
            wal.save(new HardState(1, 1, 12), entries(11, 12));
        }
        List<WalRecovery> seen = new ArrayList<>();
        List<List<WalSnapshot>> offered = new ArrayList<>();
        inTemp().withBean(WalRecoveryHandler.class, () -> WalRecoveryHandler.collecting(seen::add))
                .withBean(WalSnapshotSelector.class, () -> valid -> {
                    offered.add(valid);
                    return valid.get(valid.size() - 1);
                })
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(offered).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                            .containsExactly(WalSnapshot.ZERO, new WalSnapshot(5, 1, null));
                    assertThat(seen).singleElement().satisfies(recovery -> {
                        assertThat(recovery.created()).isFalse();
                        assertThat(recovery.snapshot().index()).isEqualTo(5);
                        assertThat(recovery.hardState()).isEqualTo(new HardState(1, 1, 12));
                        assertThat(recovery.entries()).extracting(Entry::index).containsExactly(6L, 7L, 8L, 9L, 10L,
                                11L, 12L);
                        assertThat(recovery.lastIndex()).isEqualTo(12);
                        assertThat(recovery.repair()).isEmpty();
                    });
                    Wal wal = context.getBean(Wal.class);
                    wal.save(new HardState(1, 1, 13), entries(13, 13));
                    assertThat(wal.lastIndex()).isEqualTo(13);
                });
    }

    @Test
    void aFreshWalIsReportedAsCreated() {
        List<WalRecovery> seen = new ArrayList<>();
        inTemp().withBean(WalRecoveryHandler.class, () -> WalRecoveryHandler.collecting(seen::add)).run(context -> assertThat(seen)
                .singleElement().satisfies(recovery -> {
                    assertThat(recovery.created()).isTrue();
                    assertThat(recovery.entries()).isEmpty();
                    assertThat(recovery.snapshot()).isEqualTo(WalSnapshot.ZERO);
                }));
    }

    /** A WAL of entries 1-3 whose last record, the hard state, a crash cut short; its segment. */
    private Path walWithATornTail() throws IOException {
        Path dir = temp.resolve("wal");
        try (Wal wal = Wal.create(dir, null, WalOptions.builder().preallocate(false).segmentSize(1 << 20).build())) {
            wal.save(new HardState(1, 1, 3), entries(1, 3));
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(p -> p.toString().endsWith(".wal")).findFirst().orElseThrow();
        }
        long end = dev.jwal.core.inspect.WalInspector.withDefaults().segments(dir).get(0).dataEnd();
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(end - 5);
        }
        return segment;
    }

    @Test
    void aTornTailIsRepairedAtStartupByDefaultAndRefusedWhenNot() throws IOException {
        Path segment = walWithATornTail();

        inTemp().withPropertyValues("wal.repair-torn-tail=false").run(context -> assertThat(context).getFailure()
                .rootCause().isInstanceOf(UnexpectedEofException.class));

        List<WalRecovery> seen = new ArrayList<>();
        inTemp().withBean(WalRecoveryHandler.class, () -> WalRecoveryHandler.collecting(seen::add)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(seen.get(0).repair()).hasValueSatisfying(r -> assertThat(r.truncated()).isTrue());
            // the last record, the hard state, was torn; the entries before it are whole
            assertThat(seen.get(0).entries()).extracting(Entry::index).containsExactly(1L, 2L, 3L);
            assertThat(seen.get(0).hardState()).isEqualTo(HardState.EMPTY);
        });
        assertThat(Files.exists(segment.resolveSibling(segment.getFileName() + ".broken"))).isTrue();
    }

    /**
     * The operator's report: one sector of zeros in the middle of the last segment. etcd, and jwal
     * before, took it for a torn tail and cut every record after it; now startup refuses, with
     * wal.repair-torn-tail at its default, and changes nothing.
     */
    @Test
    void aZeroedSectorWithIntactRecordsAfterItStopsStartupAndCutsNothing() throws IOException {
        Path dir = temp.resolve("wal");
        try (Wal wal = Wal.create(dir, null, WalOptions.builder().segmentSize(1 << 20).build())) {
            for (long i = 1; i <= 40; i++) {
                wal.save(new HardState(1, 1, i), entries(i, i));
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(p -> p.toString().endsWith(".wal")).findFirst().orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(1024);
            file.write(new byte[512]);
        }
        byte[] before = Files.readAllBytes(segment);
        inTemp().run(context -> {
            assertThat(context).getFailure().rootCause().isInstanceOf(ReadableAfterDamageException.class)
                    .hasMessageContaining("read back intact");
            ReadableAfterDamageException damage = (ReadableAfterDamageException) org.assertj.core.util.Throwables
                    .getRootCause(context.getStartupFailure());
            assertThat(damage.readable().lastEntryIndex()).isEqualTo(40);
        });
        assertThat(Files.readAllBytes(segment)).isEqualTo(before);
        assertThat(segment.resolveSibling(segment.getFileName() + ".broken")).doesNotExist();
    }

    @Test
    void aStartupRepairShowsInHealthAndInTheRepairsMeter() throws IOException {
        Path segment = walWithATornTail();
        inTemp().run(context -> {
            WalStats stats = context.getBean(WalStats.class);
            assertThat(stats.repairs()).isEqualTo(1);
            WalHealthIndicator health = new WalHealthIndicator(context.getBean(Wal.class), stats,
                    org.springframework.util.unit.DataSize.ofBytes(0));
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> repaired = (java.util.Map<String, Object>) health.health().getDetails()
                    .get("repaired");
            assertThat(repaired).containsEntry("segment", segment.toString()).containsKey("cutAt")
                    .containsEntry("brokenCopy", segment + ".broken");
            assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
            io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            new WalMetrics(context.getBean(Wal.class), stats, "wal").bindTo(registry);
            assertThat(registry.get("wal.repairs").functionCounter().count()).isEqualTo(1.0);
        });
    }

    @Test
    void aWalOfAnotherNodeIsRefused() {
        inTemp().withPropertyValues("wal.metadata=node-1").run(context -> assertThat(context).hasNotFailed());
        inTemp().withPropertyValues("wal.metadata=node-2").run(context -> assertThat(context).getFailure()
                .rootCause().isInstanceOf(WalMetadataMismatchException.class).hasMessageContaining("node-1"));
    }

    @Test
    void theWalIsClosedWhenTheContextCloses() {
        Wal[] wal = new Wal[1];
        inTemp().run(context -> wal[0] = context.getBean(Wal.class));
        assertThat(wal[0].isClosed()).isTrue();
        // and its lock released: another writer can open it
        try (Wal reopened = Wal.open(temp.resolve("wal"), WalSnapshot.ZERO)) {
            reopened.readAll();
        }
    }

    @Test
    void closesAfterTheWebServerStops() {
        assertThat(WalLifecycle.PHASE)
                .isLessThan(org.springframework.boot.web.server.context.WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
    }

    @Test
    void applicationListenersSeeTheWalsEvents() {
        List<Integer> saves = new ArrayList<>();
        inTemp().withBean(dev.jwal.core.WalListener.class, () -> new dev.jwal.core.WalListener() {
            @Override
            public void saved(int entries) {
                saves.add(entries);
            }
        }).run(context -> {
            context.getBean(Wal.class).save(new HardState(1, 1, 2), entries(1, 2));
            assertThat(saves).containsExactly(2);
            assertThat(context.getBean(WalStats.class).entries()).isEqualTo(2);
        });
    }

    public static List<Entry> entries(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(i -> Entry.normal(1, i, ("e" + i).getBytes())).toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnWal {

        @Bean(destroyMethod = "close")
        Wal ownWal(@org.springframework.beans.factory.annotation.Value("${wal.directory}") Path directory) {
            return Wal.create(directory.resolveSibling("own"), null, WalOptions.builder().preallocate(false).build());
        }
    }
}

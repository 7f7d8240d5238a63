package dev.jwal.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfigurationTests;
import dev.jwal.spring.boot.autoconfigure.WalOptionsCustomizer;
import dev.jwal.test.FaultyDisk;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Meters, health and the endpoint: present only when their modules (and a registry) are. */
class WalObservabilityAutoConfigurationTests {

    private static final String DYING_DISK = "EIO: the test's disk failed";

    @TempDir
    Path temp;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(WalAutoConfiguration.class, WalMetricsAutoConfiguration.class,
                        WalHealthContributorAutoConfiguration.class, WalEndpointAutoConfiguration.class))
                .withPropertyValues("wal.directory=" + temp.resolve("wal"), "wal.preallocate=false", "wal.name=orders");
    }

    @Test
    void metersAreBoundWhenARegistryIsPresent() {
        runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(WalMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(WalMetrics.class).bindTo(registry);
            Wal wal = context.getBean(Wal.class);
            wal.save(new HardState(1, 1, 3), WalAutoConfigurationTests.entries(1, 3));

            Timer fsync = registry.get("wal.fsync").tag("name", "orders").timer();
            assertThat(fsync.count()).isPositive();
            assertThat(registry.get("wal.entries").functionCounter().count()).isEqualTo(3);
            assertThat(registry.get("wal.saves").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("wal.write.bytes").functionCounter().count()).isPositive();
            assertThat(registry.get("wal.write").timer().count()).isPositive();
            assertThat(registry.get("wal.last.index").gauge().value()).isEqualTo(3);
            assertThat(registry.get("wal.segments").gauge().value()).isEqualTo(1);
            assertThat(registry.get("wal.disk.usage").gauge().value()).isPositive();
            assertThat(registry.get("wal.poisoned").gauge().value()).isZero();
            assertThat(registry.get("wal.segment.cuts").functionCounter().count()).isZero();
            assertThat(registry.get("wal.fsync.slow").functionCounter().count()).isZero();
        });
    }

    @Test
    void groupCommitsAreMeasuredUnderTheGroupPolicy() {
        runner().withPropertyValues("wal.sync-policy=group").withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(WalMetrics.class).bindTo(registry);
                    Wal wal = context.getBean(Wal.class);
                    wal.save(new HardState(1, 1, 3), WalAutoConfigurationTests.entries(1, 3));
                    wal.saveAsync(new HardState(1, 1, 4), List.of(dev.jwal.core.Entry.normal(1, 4, new byte[10])))
                            .join();
                    assertThat(registry.get("wal.group.batch").tag("name", "orders").summary().count()).isEqualTo(2);
                    assertThat(registry.get("wal.group.batch").summary().totalAmount()).isEqualTo(2);
                    assertThat(registry.get("wal.group.queue").summary().count()).isEqualTo(2);
                });
    }

    @Test
    void noMetersWithoutARegistryOrWithoutMicrometer() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WalMetrics.class));
        runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withClassLoader(new FilteredClassLoader(MeterBinder.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WalMetrics.class));
    }

    @Test
    void healthIsUpWithDetailsAndDownWhenClosed() {
        runner().run(context -> {
            HealthIndicator indicator = context.getBean("walHealthIndicator", HealthIndicator.class);
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKeys("directory", "segments", "lastIndex", "lastFsync", "free",
                    "threshold");
            context.getBean(Wal.class).close();
            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(indicator.health().getDetails()).containsEntry("error", "closed");
        });
    }

    @Test
    void healthIsDownBelowTheFreeSpaceThreshold() {
        runner().withPropertyValues("wal.health.free-space-threshold=1000000TB").run(context -> {
            Health health = context.getBean("walHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) health.getDetails().get("error")).startsWith("free disk space below");
        });
    }

    @Test
    void healthIsDownNamingTheCauseWhenPoisoned() {
        AtomicBoolean failing = new AtomicBoolean();
        runner().withBean(WalOptionsCustomizer.class, () -> builder -> builder.disk(
                FaultyDisk.failingWhile(FaultyDisk.Operation.SYNC, failing::get, DYING_DISK))).run(context -> {
                    Wal wal = context.getBean(Wal.class);
                    failing.set(true);
                    try {
                        wal.save(new HardState(1, 1, 1), WalAutoConfigurationTests.entries(1, 1));
                    } catch (RuntimeException expected) {
                        // the failed fsync
                    } finally {
                        failing.set(false);
                    }
                    Health health = context.getBean("walHealthIndicator", HealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat((String) health.getDetails().get("error")).startsWith("poisoned:")
                            .contains(DYING_DISK);
                });
    }

    @Test
    void noHealthIndicatorWithoutTheHealthModuleOrWhenDisabled() {
        runner().withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WalHealthIndicator.class));
        runner().withPropertyValues("management.health.wal.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WalHealthIndicator.class));
    }

    @Test
    void theEndpointIsThereOnlyWhenExposedLikeEveryEndpointButHealth() {
        runner().run(context -> assertThat(context).doesNotHaveBean(WalEndpoint.class));
        ApplicationContextRunner exposed = runner().withPropertyValues("management.endpoints.web.exposure.include=wal");
        exposed.run(context -> assertThat(context).hasSingleBean(WalEndpoint.class));
        exposed.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.endpoint"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WalEndpoint.class));
        exposed.withPropertyValues("management.endpoint.wal.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(WalEndpoint.class));
    }
}

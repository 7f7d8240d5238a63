package dev.jwal.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfigurationTests;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** {@code wal.fsync}'s histogram is on by default and off with Boot's own property. */
class WalMetricsDefaultsTests {

    @TempDir
    Path temp;

    @Test
    void theFsyncHistogramIsPublishedByDefault() {
        assertThat(scrape()).contains("wal_fsync_seconds_bucket{").doesNotContain("wal_write_seconds_bucket{");
    }

    @Test
    void bootsObservationMetricsHandlerTimesEverySave() {
        assertThat(scrape()).contains("wal_save_seconds_count{error=\"none\",name=\"wal\",policy=\"always\"} 1");
    }

    @Test
    void bootsPercentilesHistogramPropertyTurnsItOff() {
        assertThat(scrape("--management.metrics.distribution.percentiles-histogram.wal.fsync=false"))
                .contains("wal_fsync_seconds_count{").doesNotContain("wal_fsync_seconds_bucket{");
    }

    @Test
    void andTurnsOnTheWriteHistogram() {
        assertThat(scrape("--management.metrics.distribution.percentiles-histogram.wal.write=true"))
                .contains("wal_fsync_seconds_bucket{", "wal_write_seconds_bucket{");
    }

    /** What Prometheus would scrape after one save; {@code args} as on the command line. */
    private String scrape(String... args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE).properties("wal.directory=" + temp.resolve("wal"), "wal.preallocate=false",
                        "spring.main.banner-mode=off")
                .run(args)) {
            context.getBean(Wal.class).save(new HardState(1, 1, 1), WalAutoConfigurationTests.entries(1, 1));
            return context.getBean(PrometheusMeterRegistry.class).scrape();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }
}

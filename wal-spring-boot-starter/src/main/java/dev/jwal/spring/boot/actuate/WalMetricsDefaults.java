package dev.jwal.spring.boot.actuate;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Publishes a percentile histogram for {@code wal.fsync} by default, as etcd does for
 * {@code etcd_disk_wal_fsync_duration_seconds}, through Boot's own
 * {@code management.metrics.distribution.percentiles-histogram.*} setting: it is added last, below
 * every property source of the application, so that
 * {@code management.metrics.distribution.percentiles-histogram.wal.fsync=false} turns it off.
 */
class WalMetricsDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "jwalMetricsDefaults";

    static final String FSYNC_HISTOGRAM = "management.metrics.distribution.percentiles-histogram.wal.fsync";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getPropertySources().contains(SOURCE)) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(FSYNC_HISTOGRAM, "true")));
        }
    }
}

package dev.jwal.spring.boot.actuate;

import dev.jwal.core.Wal;
import dev.jwal.core.log.WalLog;
import dev.jwal.spring.boot.autoconfigure.ObservedWal;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalLogAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalProperties;
import dev.jwal.spring.boot.autoconfigure.WalStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Binds the WAL's meters when the application has Micrometer and a {@link MeterRegistry}. */
@AutoConfiguration(after = { WalAutoConfiguration.class, WalLogAutoConfiguration.class }, afterName = {
        "dev.jwal.spring.boot.raft.WalRaftAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ Wal.class, MeterBinder.class })
@ConditionalOnBean({ ObservedWal.class, WalStats.class, MeterRegistry.class })
public final class WalMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WalMetrics walMetrics(ObservedWal wal, WalStats stats, WalProperties properties) {
        return new WalMetrics(wal, stats, properties.getName());
    }

    /** The application log's follower gauges ({@code wal.api=log}). */
    @Bean
    @ConditionalOnBean(WalLog.class)
    @ConditionalOnMissingBean
    WalFollowerMetrics walFollowerMetrics(WalLog log, WalProperties properties) {
        return new WalFollowerMetrics(log, properties.getName());
    }
}

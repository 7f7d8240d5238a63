package dev.jwal.spring.boot.raft;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jgroups.raft.RaftHandle;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A raft node's health indicator ({@code raft}, switched by {@code management.health.raft.enabled})
 * and meters ({@code wal.raft.*}), each when its module is on the class path.
 */
@AutoConfiguration(after = WalRaftAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(RaftHandle.class)
@ConditionalOnBooleanProperty("wal.raft.enabled")
public final class WalRaftObservabilityAutoConfiguration {

    /** The node's health, as {@code raft}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
    @ConditionalOnEnabledHealthIndicator("raft")
    @ConditionalOnBean(RaftHandle.class)
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "raftHealthIndicator")
        RaftHealthIndicator raftHealthIndicator(RaftHandle raftHandle) {
            return new RaftHealthIndicator(raftHandle);
        }
    }

    /** The node's meters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    @ConditionalOnBean({ RaftHandle.class, MeterRegistry.class })
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        RaftMetrics raftMetrics(RaftHandle raftHandle) {
            return new RaftMetrics(raftHandle);
        }
    }
}

package dev.jwal.spring.boot.actuate;

import dev.jwal.core.Wal;
import dev.jwal.spring.boot.autoconfigure.ObservedWal;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalLogAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalProperties;
import dev.jwal.spring.boot.autoconfigure.WalStats;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The WAL's health indicator, shown as {@code wal} under {@code /actuator/health}, when the
 * application has Spring Boot's health module ({@code management.health.wal.enabled} switches it).
 */
@AutoConfiguration(after = { WalAutoConfiguration.class, WalLogAutoConfiguration.class },
        afterName = "dev.jwal.spring.boot.raft.WalRaftAutoConfiguration")
@ConditionalOnClass({ Wal.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ ObservedWal.class, WalStats.class })
@ConditionalOnEnabledHealthIndicator("wal")
public final class WalHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "walHealthIndicator")
    WalHealthIndicator walHealthIndicator(ObservedWal wal, WalStats stats, WalProperties properties) {
        return new WalHealthIndicator(wal, stats, properties.getHealth().getFreeSpaceThreshold());
    }
}

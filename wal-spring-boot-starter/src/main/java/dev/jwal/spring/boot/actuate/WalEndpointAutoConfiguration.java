package dev.jwal.spring.boot.actuate;

import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.spring.boot.autoconfigure.ConfiguredWalOptions;
import dev.jwal.spring.boot.autoconfigure.ObservedWal;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalLogAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalProperties;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * The {@code wal} Actuator endpoint. Like every endpoint but health, it is reachable over HTTP
 * only when exposed: {@code management.endpoints.web.exposure.include=health,wal}.
 */
@AutoConfiguration(after = { WalAutoConfiguration.class, WalLogAutoConfiguration.class },
        afterName = "dev.jwal.spring.boot.raft.WalRaftAutoConfiguration")
@ConditionalOnClass({ Wal.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ ObservedWal.class, ConfiguredWalOptions.class })
@ConditionalOnAvailableEndpoint(WalEndpoint.class)
public final class WalEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WalEndpoint walEndpoint(ObservedWal wal, ConfiguredWalOptions configured, WalProperties properties) {
        WalOptions options = configured.options();
        long rate = properties.getEndpoint().getVerifyReadRate().toBytes();
        if (rate < 0) {
            throw new InvalidConfigurationPropertyValueException("wal.endpoint.verify-read-rate",
                    properties.getEndpoint().getVerifyReadRate(), "it must not be negative");
        }
        return new WalEndpoint(wal, options.toBuilder().examineReadRate(rate).build(), properties.getName());
    }
}

package dev.jwal.spring.boot.actuate;

import dev.jwal.core.Wal;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalOptionsCustomizer;
import dev.jwal.spring.boot.autoconfigure.WalProperties;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Observes every save with the application's {@link ObservationRegistry} ({@code wal.save}), when
 * there is one. Without a registry no observer is installed and a save does no observing work.
 */
@AutoConfiguration(before = WalAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ Wal.class, ObservationRegistry.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "wal.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WalProperties.class)
public final class WalObservationAutoConfiguration {

    /** Applied first, so that an application's customizer may replace or remove the observer. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WalOptionsCustomizer walSaveObservations(ObservationRegistry registry, WalProperties properties) {
        return builder -> builder.saveObserver(new WalSaveObservations(registry, properties.getName(),
                properties.getSyncPolicy()));
    }
}

package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.WalOptions;

/**
 * Adjusts the {@link WalOptions} the starter builds from the {@code wal.*} properties, as Boot's
 * {@code FlywayConfigurationCustomizer} does for Flyway. Beans of this type are applied in their
 * {@link org.springframework.core.annotation.Order order}, after the properties, so a customizer
 * wins over a property it also sets. The starter's own listeners (the meters and the health
 * indicator read them) stay attached: a listener a customizer sets is called beside them, not
 * instead of them.
 *
 * <p>Define a customizer rather than a {@code WalOptions} bean: a {@code WalOptions} bean of the
 * application's own would ignore every {@code wal.*} property and detach the meters, so startup
 * refuses one.
 */
@FunctionalInterface
public interface WalOptionsCustomizer {

    /** Changes {@code builder}, which holds the {@code wal.*} properties and earlier customizers' changes. */
    void customize(WalOptions.Builder builder);
}

package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.Wal;
import dev.jwal.core.WalListener;
import dev.jwal.core.WalOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of a {@link Wal} from {@code wal.*} properties: created when the directory
 * holds none, else opened at the snapshot a {@link WalSnapshotSelector} picks and replayed into
 * every {@link WalRecoveryHandler}; synced when the context stops and closed when it closes. The
 * options are the {@code wal.*} properties with every {@link WalOptionsCustomizer} applied.
 * With {@code wal.api=log} the directory is an application log instead, and
 * {@link WalLogAutoConfiguration} makes a {@code WalLog} bean in place of the {@code Wal}; with
 * {@code wal.raft.enabled=true}, {@link dev.jwal.spring.boot.raft.WalRaftAutoConfiguration} makes a jgroups-raft node instead.
 */
@AutoConfiguration
@ConditionalOnClass(Wal.class)
@ConditionalOnBooleanProperty(name = "wal.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WalProperties.class)
public final class WalAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WalStats walStats() {
        return new WalStats();
    }

    @Bean
    ConfiguredWalOptions configuredWalOptions(WalProperties properties, WalStats stats,
            ObjectProvider<WalListener> listeners, ObjectProvider<WalOptionsCustomizer> customizers) {
        return ConfiguredWalOptions.from(properties, stats, listeners.orderedStream(), customizers.orderedStream());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "wal.api", havingValue = "raft", matchIfMissing = true)
    @ConditionalOnBooleanProperty(name = "wal.raft.enabled", havingValue = false, matchIfMissing = true)
    Wal wal(WalProperties properties, ConfiguredWalOptions configured, WalStats stats,
            ObjectProvider<WalSnapshotSelector> selector, ObjectProvider<WalRecoveryHandler> handlers) {
        WalOptions options = configured.options();
        Path directory = properties.requireDirectory();
        byte[] metadata = properties.getMetadata() == null ? null
                : properties.getMetadata().getBytes(StandardCharsets.UTF_8);
        WalOpener opener = new WalOpener(directory, options, metadata, properties.isRepairTornTail(),
                selector.getIfAvailable(WalSnapshotSelector::newest), stats::repaired);
        return opener.open(handlers.orderedStream().toList());
    }

    /** The raft API's WAL as the health indicator, meters, endpoint and lifecycle see it. */
    @Bean
    @ConditionalOnProperty(name = "wal.api", havingValue = "raft", matchIfMissing = true)
    @ConditionalOnBooleanProperty(name = "wal.raft.enabled", havingValue = false, matchIfMissing = true)
    ObservedWal observedWal(Wal wal) {
        return ObservedWal.of(wal);
    }

    @Bean
    @ConditionalOnMissingBean
    WalLifecycle walLifecycle(ObservedWal wal) {
        return new WalLifecycle(wal);
    }
}

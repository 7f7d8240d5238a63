package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.WalOptions;
import dev.jwal.core.log.WalLog;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of an application log ({@link WalLog}) with {@code wal.api=log}: the same
 * {@code wal.*} properties and options as the raft API's {@code Wal}, which it replaces. Created
 * when the directory holds no WAL, else opened at its newest compaction point with the records
 * after it streamed into every {@link WalLogRecoveryHandler}; synced when the context stops and
 * closed when it closes. Health, meters and the {@code wal} endpoint work as for a {@code Wal},
 * with one {@code wal.follower.lag} gauge per active follower.
 */
@AutoConfiguration(after = WalAutoConfiguration.class)
@ConditionalOnClass(WalLog.class)
@ConditionalOnBooleanProperty(name = "wal.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "wal.api", havingValue = "log")
@ConditionalOnBooleanProperty(name = "wal.raft.enabled", havingValue = false, matchIfMissing = true)
public final class WalLogAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    WalLog walLog(WalProperties properties, ConfiguredWalOptions configured, WalStats stats,
            ObjectProvider<WalLogRecoveryHandler> handlers) {
        WalOptions options = configured.options();
        if (properties.getMetadata() != null) {
            throw new InvalidConfigurationPropertyValueException("wal.metadata", properties.getMetadata(),
                    "An application log's metadata is always jwal-log/1; remove wal.metadata, or set"
                            + " wal.api=raft for a raft node's WAL");
        }
        int keep = properties.getLog().getKeepSegments();
        if (keep < 1) {
            throw new InvalidConfigurationPropertyValueException("wal.log.keep-segments", keep,
                    "A compaction keeps at least 1 released segment");
        }
        WalLogOpener opener = new WalLogOpener(properties.requireDirectory(), options, keep,
                properties.isRepairTornTail(), stats::repaired);
        return opener.open(handlers.orderedStream().toList());
    }

    /** The application log as the health indicator, meters, endpoint and lifecycle see it. */
    @Bean
    ObservedWal observedWal(WalLog log) {
        return ObservedWal.of(log);
    }
}

package dev.jwal.spring.boot;

import dev.jwal.core.Wal;
import dev.jwal.core.WalListener;
import dev.jwal.core.WalOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
 * {@code wal.raft.enabled=true}, {@link WalRaftAutoConfiguration} makes a jgroups-raft node instead.
 */
@AutoConfiguration
@ConditionalOnClass(Wal.class)
@ConditionalOnBooleanProperty(name = "wal.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WalProperties.class)
public class WalAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WalStats walStats() {
        return new WalStats();
    }

    @Bean
    @ConditionalOnMissingBean
    WalOptions walOptions(WalProperties properties, WalStats stats, ObjectProvider<WalListener> listeners,
            ObjectProvider<WalOptionsCustomizer> customizers) {
        List<WalListener> all = new ArrayList<>();
        all.add(stats);
        listeners.orderedStream().filter(listener -> listener != stats).forEach(all::add);
        List<Setting> settings = List.of(
                new Setting("wal.segment-size", properties.getSegmentSize(),
                        b -> b.segmentSize(properties.getSegmentSize().toBytes())),
                new Setting("wal.sync-policy", properties.getSyncPolicy(), b -> b.syncPolicy(properties.getSyncPolicy())),
                new Setting("wal.sync-interval", properties.getSyncInterval(),
                        b -> b.syncInterval(properties.getSyncInterval())),
                new Setting("wal.group-wait", properties.getGroupWait(), b -> b.groupWait(properties.getGroupWait())),
                new Setting("wal.group-max-bytes", properties.getGroupMaxBytes(),
                        b -> b.groupMaxBytes(properties.getGroupMaxBytes().toBytes())),
                new Setting("wal.max-record-size", properties.getMaxRecordSize(),
                        b -> b.maxRecordSize(Math.toIntExact(properties.getMaxRecordSize().toBytes()))),
                new Setting("wal.slow-sync-threshold", properties.getSlowSyncThreshold(),
                        b -> b.slowSyncThreshold(properties.getSlowSyncThreshold())));
        CompositeWalListener starters = new CompositeWalListener(all);
        WalOptions.Builder builder = WalOptions.builder().preallocate(properties.isPreallocate())
                .callerWrites(properties.isCallerWrites()).listener(starters);
        for (Setting setting : settings) {
            setting.check();
            setting.apply().accept(builder);
        }
        checkRecordFitsSegment(properties);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        // A customizer's listener is called beside the starter's, which the meters and health read.
        WalListener theirs = builder.build().listener();
        if (theirs != starters) {
            List<WalListener> both = new ArrayList<>(all);
            both.add(theirs);
            builder.listener(new CompositeWalListener(both));
        }
        return builder.build();
    }

    /**
     * One property's effect on the options. Checked alone, on top of the defaults, so that a bad
     * value fails startup naming its property rather than with wal-core's generic message.
     */
    /**
     * A record limit may be raised up to the segment size, as etcd 3.5.5 and later read it; past
     * it, a record would not fit the segment it starts. etcd's default limit (10 MiB) stays allowed
     * beside smaller segments, as etcd allows it.
     */
    private static void checkRecordFitsSegment(WalProperties properties) {
        long record = properties.getMaxRecordSize().toBytes();
        long segment = properties.getSegmentSize().toBytes();
        if (record > WalOptions.DEFAULT_MAX_RECORD_SIZE && record > segment) {
            throw new InvalidConfigurationPropertyValueException("wal.max-record-size", properties.getMaxRecordSize(),
                    "larger than wal.segment-size (" + properties.getSegmentSize()
                            + "): the limit may be raised up to the segment size");
        }
    }

    private record Setting(String property, Object value, Consumer<WalOptions.Builder> apply) {

        void check() {
            try {
                WalOptions.Builder alone = WalOptions.builder();
                apply.accept(alone);
                alone.build();
            } catch (IllegalArgumentException | ArithmeticException | NullPointerException e) {
                String reason = e instanceof ArithmeticException ? "too large" : e.getMessage();
                throw new InvalidConfigurationPropertyValueException(property, value, reason);
            }
        }
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "wal.api", havingValue = "raft", matchIfMissing = true)
    @ConditionalOnBooleanProperty(name = "wal.raft.enabled", havingValue = false, matchIfMissing = true)
    Wal wal(WalProperties properties, WalOptions options, WalStats stats,
            ObjectProvider<WalSnapshotSelector> selector, ObjectProvider<WalRecoveryHandler> handlers) {
        if (!(options.listener() instanceof CompositeWalListener composite) || !composite.includes(stats)) {
            throw new WalOptionsBeanException();
        }
        Path directory = requireDirectory(properties);
        byte[] metadata = properties.getMetadata() == null ? null
                : properties.getMetadata().getBytes(StandardCharsets.UTF_8);
        WalOpener opener = new WalOpener(directory, options, metadata, properties.isRepairTornTail(),
                selector.getIfAvailable(WalSnapshotSelector::newest), stats::repaired);
        return opener.open(handlers.orderedStream().toList());
    }

    static Path requireDirectory(WalProperties properties) {
        Path directory = properties.getDirectory();
        if (directory == null) {
            throw new InvalidConfigurationPropertyValueException("wal.directory", null,
                    "The WAL needs a directory: set wal.directory to where its segment files live (or"
                            + " wal.enabled=false to run without one)");
        }
        return directory;
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

package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.WalListener;
import dev.jwal.core.WalOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The options of the auto-configured WAL, built once from the {@code wal.*} properties with every
 * {@link WalOptionsCustomizer} applied on top, and with the starter's {@link WalStats} listening
 * beside any listener the application adds, so that the meters and the health indicator see every
 * sync. Only the starter makes one: to change the options, set {@code wal.*} properties or define
 * a customizer. A {@code WalOptions} bean of the application's own is not used.
 */
public final class ConfiguredWalOptions {

    private final WalOptions options;

    private ConfiguredWalOptions(WalOptions options) {
        this.options = options;
    }

    /** The options the WAL was, or will be, opened with. */
    public WalOptions options() {
        return options;
    }

    static ConfiguredWalOptions from(WalProperties properties, WalStats stats, Stream<WalListener> listeners,
            Stream<WalOptionsCustomizer> customizers) {
        List<Setting> settings = settings(properties);
        checkRecordFitsSegment(properties);
        List<WalListener> all = new ArrayList<>();
        all.add(stats);
        listeners.filter(listener -> listener != stats).forEach(all::add);
        CompositeWalListener starters = new CompositeWalListener(all);
        WalOptions.Builder builder = WalOptions.builder().preallocate(properties.isPreallocate())
                .callerWrites(properties.isCallerWrites()).spinWait(properties.isSpinWait())
                .listener(starters);
        WalOptions options;
        try {
            settings.forEach(setting -> setting.apply().accept(builder));
            customizers.forEach(customizer -> customizer.customize(builder));
            options = builder.build();
        } catch (IllegalArgumentException | ArithmeticException | NullPointerException e) {
            // Only now is each setting tried alone on the defaults, so that a bad value fails
            // startup naming its property rather than with wal-core's message.
            settings.forEach(Setting::checkAlone);
            throw e;
        }
        if (options.listener() != starters) {
            // A customizer's listener is called beside the starter's, which the meters and health read.
            all.add(options.listener());
            options = options.toBuilder().listener(new CompositeWalListener(all)).build();
        }
        return new ConfiguredWalOptions(options);
    }

    private static List<Setting> settings(WalProperties properties) {
        return List.of(
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
                new Setting("wal.frame-rule", properties.getFrameRule(), b -> b.frameRule(properties.getFrameRule())),
                new Setting("wal.slow-sync-threshold", properties.getSlowSyncThreshold(),
                        b -> b.slowSyncThreshold(properties.getSlowSyncThreshold())),
                new Setting("wal.scrub-read-rate", properties.getScrubReadRate(),
                        b -> b.scrubReadRate(properties.getScrubReadRate().toBytes())));
    }

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

    /** One property's effect on the options. */
    private record Setting(String property, Object value, Consumer<WalOptions.Builder> apply) {

        void checkAlone() {
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
}

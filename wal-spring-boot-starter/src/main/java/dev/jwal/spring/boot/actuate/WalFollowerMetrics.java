package dev.jwal.spring.boot.actuate;

import dev.jwal.core.log.LogSubscription;
import dev.jwal.core.log.LogSubscriptionListener;
import dev.jwal.core.log.WalLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One gauge per active follower of the application log, {@code wal.follower.lag} tagged with the
 * WAL's name and the follower's: how many acknowledged records it has not been handed yet. The
 * gauge is registered when the subscription starts and removed when it ends.
 */
public class WalFollowerMetrics implements MeterBinder {

    private final WalLog log;
    private final Tags tags;
    private final Map<LogSubscription, Meter.Id> gauges = new ConcurrentHashMap<>();

    public WalFollowerMetrics(WalLog log, String name) {
        this.log = log;
        this.tags = Tags.of("name", name);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        log.addSubscriptionListener(new LogSubscriptionListener() {
            @Override
            public void started(LogSubscription subscription) {
                register(registry, subscription);
            }

            @Override
            public void ended(LogSubscription subscription) {
                Meter.Id id = gauges.remove(subscription);
                if (id != null) {
                    registry.remove(id);
                }
            }
        });
        for (LogSubscription subscription : log.subscriptions()) {
            register(registry, subscription);
        }
    }

    private void register(MeterRegistry registry, LogSubscription subscription) {
        gauges.computeIfAbsent(subscription, s -> Gauge.builder("wal.follower.lag", s, LogSubscription::lag)
                .description("Acknowledged records a follower of the application log has not been handed yet")
                .tags(tags.and("follower", s.name())).register(registry).getId());
        if (!log.subscriptions().contains(subscription)) {
            // it ended between the listing and the registration: its end found no gauge to remove
            Meter.Id id = gauges.remove(subscription);
            if (id != null) {
                registry.remove(id);
            }
        }
    }
}

package dev.jwal.spring.boot.actuate;

import dev.jwal.core.SaveObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;

/**
 * A Micrometer {@link Observation} named {@code wal.save} around each save, from submission to
 * durability. Started on the saving thread, so that it is a child of the observation in scope
 * there (a traced HTTP request shows how long it waited for the WAL). Its tags are of low
 * cardinality only: the WAL's name and its sync policy.
 */
final class WalSaveObservations implements SaveObserver {

    static final String NAME = "wal.save";

    private final ObservationRegistry registry;
    private final String walName;
    private final String policy;

    WalSaveObservations(ObservationRegistry registry, String walName, dev.jwal.core.SyncPolicy policy) {
        this.registry = registry;
        this.walName = walName;
        this.policy = policy.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public Ending started(int entries) {
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName("wal save")
                .lowCardinalityKeyValue("name", walName)
                .lowCardinalityKeyValue("policy", policy)
                .start();
        return failure -> {
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        };
    }
}

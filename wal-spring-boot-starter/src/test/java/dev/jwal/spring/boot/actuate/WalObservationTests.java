package dev.jwal.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.spring.boot.autoconfigure.ConfiguredWalOptions;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfigurationTests;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A {@code wal.save} observation per save, a child of the caller's, when there is a registry. */
class WalObservationTests {

    @TempDir
    Path temp;

    private final List<String> events = new CopyOnWriteArrayList<>();

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(WalObservationAutoConfiguration.class, WalAutoConfiguration.class))
                .withPropertyValues("wal.directory=" + temp.resolve("wal"), "wal.preallocate=false", "wal.name=orders");
    }

    private ObservationRegistry recordingRegistry() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public void onStart(Observation.Context context) {
                events.add("start " + context.getName() + " parent=" + (context.getParentObservation() == null ? null
                        : context.getParentObservation().getContextView().getName()) + " "
                        + context.getLowCardinalityKeyValues().stream().map(kv -> kv.getKey() + "=" + kv.getValue()).toList()
                        + " on " + Thread.currentThread().getName());
            }

            @Override
            public void onError(Observation.Context context) {
                events.add("error " + context.getName() + " " + context.getError().getClass().getSimpleName());
            }

            @Override
            public void onStop(Observation.Context context) {
                events.add("stop " + context.getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        return registry;
    }

    @Test
    @SuppressWarnings("try") // the scope is opened for the save inside it
    void aSaveIsObservedFromSubmissionToDurabilityAsAChildOfTheCallersObservation() {
        ObservationRegistry registry = recordingRegistry();
        runner().withBean(ObservationRegistry.class, () -> registry).run(context -> {
            Wal wal = context.getBean(Wal.class);
            Observation request = Observation.start("http.request", registry);
            try (Observation.Scope scope = request.openScope()) {
                wal.save(new HardState(1, 1, 1), WalAutoConfigurationTests.entries(1, 1));
            }
            request.stop();
            String thread = Thread.currentThread().getName();
            assertThat(events).containsExactly("start http.request parent=null [] on " + thread,
                    "start wal.save parent=http.request [name=orders, policy=always] on " + thread, "stop wal.save",
                    "stop http.request");
        });
    }

    @Test
    void anAsyncSaveStopsItsObservationWhenTheFutureCompletesAndAFailureIsRecorded() {
        ObservationRegistry registry = recordingRegistry();
        runner().withBean(ObservationRegistry.class, () -> registry).run(context -> {
            Wal wal = context.getBean(Wal.class);
            wal.saveAsync(new HardState(1, 1, 2), WalAutoConfigurationTests.entries(1, 2)).join();
            assertThat(events).hasSize(2).last().isEqualTo("stop wal.save");
            events.clear();
            // a gap after the last index is refused before anything is written
            try {
                wal.save(new HardState(1, 1, 9), WalAutoConfigurationTests.entries(9, 9));
            } catch (RuntimeException expected) {
                // InvalidEntryIndexException
            }
            assertThat(events).hasSize(3).element(1).isEqualTo("error wal.save InvalidEntryIndexException");
        });
    }

    @Test
    void withoutARegistryNoObserverIsInstalled() {
        runner().run(context -> assertThat(context.getBean(ConfiguredWalOptions.class).options().saveObserver()).isEmpty());
    }
}

package dev.jwal.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalListener;
import dev.jwal.core.WalOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class WalOptionsCustomizerTests {

    @TempDir
    Path temp;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WalAutoConfiguration.class))
                .withPropertyValues("wal.directory=" + temp.resolve("wal"), "wal.preallocate=false",
                        "wal.segment-size=1MB", "wal.sync-policy=group");
    }

    @Test
    void customizersApplyInOrderOnTopOfTheProperties() {
        runner().withUserConfiguration(TwoCustomizers.class).run(context -> {
            WalOptions options = context.getBean(ConfiguredWalOptions.class).options();
            assertThat(options.segmentSize()).isEqualTo(1024 * 1024);
            assertThat(options.groupWait()).isEqualTo(Duration.ofMillis(2));
            assertThat(options.groupMaxBytes()).isEqualTo(4096);
        });
    }

    @Test
    void aCustomizersListenerIsCalledBesideTheStartersOwn() {
        AtomicInteger theirs = new AtomicInteger();
        runner().withBean(WalOptionsCustomizer.class, () -> builder -> builder.listener(new WalListener() {
            @Override
            public void saved(int entries) {
                theirs.addAndGet(entries);
            }
        })).run(context -> {
            context.getBean(Wal.class).save(new HardState(1, 1, 3), WalAutoConfigurationTests.entries(1, 3));
            assertThat(theirs).hasValue(3);
            assertThat(context.getBean(WalStats.class).entries()).isEqualTo(3);
        });
    }

    @Test
    void aWalOptionsBeanOfTheApplicationsOwnChangesNothingAndReplacesNothing() {
        runner().withPropertyValues("wal.segment-size=2MB")
                .withBean(WalOptions.class, () -> WalOptions.builder().segmentSize(64_000_000).build())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WalOptions used = context.getBean(ConfiguredWalOptions.class).options();
                    assertThat(used.segmentSize()).as("the wal.* properties decide").isEqualTo(2L * 1024 * 1024);
                    assertThat(used.listener()).as("the starter's meters still listen")
                            .isInstanceOf(CompositeWalListener.class);
                    context.getBean(Wal.class).save(new HardState(1, 1, 1), WalAutoConfigurationTests.entries(1, 1));
                    assertThat(context.getBean(WalStats.class).entries()).isEqualTo(1);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoCustomizers {

        @Bean
        @Order(2)
        WalOptionsCustomizer later() {
            return builder -> builder.groupWait(Duration.ofMillis(2));
        }

        @Bean
        @Order(1)
        WalOptionsCustomizer earlier() {
            return builder -> builder.groupWait(Duration.ofMillis(1)).groupMaxBytes(4096);
        }
    }
}

package dev.jwal.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.spring.boot.autoconfigure.ConfiguredWalOptions;
import dev.jwal.spring.boot.autoconfigure.WalRecoveryHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link AutoConfigureTestWal} in {@code @SpringBootTest}s: a temporary WAL per context, and a
 * context that Spring's cache pauses (another one ran meanwhile) and resumes keeps a working WAL.
 * The classes run in order: the first and third share a context, the second uses another.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class AutoConfigureTestWalTests {

    /** Directories of every context's WAL, to check that they are gone once the contexts close. */
    static final List<Path> DIRECTORIES = new ArrayList<>();

    @Nested
    @Order(1)
    @SpringBootTest(classes = Application.class)
    @AutoConfigureTestWal
    class First {

        @Autowired
        Wal wal;

        @Autowired
        ConfiguredWalOptions configured;

        @Test
        void getsATemporarySmallUnpreallocatedWal() {
            DIRECTORIES.add(wal.directory());
            assertThat(wal.directory().getFileName().toString()).isEqualTo("wal");
            assertThat(wal.directory().getParent().getFileName().toString()).startsWith("jwal-test-");
            assertThat(configured.options().segmentSize()).isEqualTo(1024 * 1024);
            assertThat(configured.options().preallocate()).isFalse();
            wal.save(new HardState(1, 1, 2), List.of(dev.jwal.core.Entry.normal(1, 1, new byte[] {1}),
                    dev.jwal.core.Entry.normal(1, 2, new byte[] {2})));
        }
    }

    @Nested
    @Order(2)
    @SpringBootTest(classes = Application.class, properties = "wal.sync-policy=group")
    @AutoConfigureTestWal(segmentSize = "2MB")
    class Another {

        @Autowired
        Wal wal;

        @Autowired
        ConfiguredWalOptions configured;

        @Test
        void getsADirectoryOfItsOwnAndInlinedPropertiesStillWin() {
            DIRECTORIES.add(wal.directory());
            assertThat(wal.directory()).isNotEqualTo(DIRECTORIES.get(0));
            assertThat(configured.options().syncPolicy()).isEqualTo(dev.jwal.core.SyncPolicy.GROUP);
            assertThat(configured.options().segmentSize()).isEqualTo(2 * 1024 * 1024);
            assertThat(wal.lastIndex()).isZero();
        }
    }

    @Nested
    @Order(3)
    @SpringBootTest(classes = Application.class)
    @AutoConfigureTestWal
    class FirstAgain {

        @Autowired
        Wal wal;

        @Autowired
        Application.Counts counts;

        @Test
        void sharesTheFirstContextWhoseWalStillAppendsAfterAPause() {
            assertThat(wal.directory()).isEqualTo(DIRECTORIES.get(0));
            assertThat(counts.stops.get()).as("the cache paused the context while another ran").isPositive();
            assertThat(counts.recoveries.get()).isEqualTo(1);
            assertThat(wal.isClosed()).isFalse();
            wal.save(new HardState(1, 1, 3), List.of(dev.jwal.core.Entry.normal(1, 3, new byte[] {3})));
            assertThat(wal.lastIndex()).isEqualTo(3);
            assertThat(Files.isDirectory(wal.directory())).isTrue();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

        /** How often the context was stopped, and recovered. */
        static final class Counts implements SmartLifecycle {
            final AtomicInteger stops = new AtomicInteger();
            final AtomicInteger recoveries = new AtomicInteger();
            private volatile boolean running;

            @Override
            public void start() {
                running = true;
            }

            @Override
            public void stop() {
                stops.incrementAndGet();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        }

        @Bean
        Counts counts() {
            return new Counts();
        }

        @Bean
        WalRecoveryHandler countingRecoveries(Counts counts) {
            return WalRecoveryHandler.collecting(recovery -> counts.recoveries.incrementAndGet());
        }
    }
}

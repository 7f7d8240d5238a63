package dev.jwal.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A stopped and started context keeps a working WAL; only closing the context closes it. */
class WalLifecycleTests {

    @TempDir
    Path temp;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WalAutoConfiguration.class))
                .withPropertyValues("wal.directory=" + temp.resolve("wal"), "wal.preallocate=false");
    }

    @Test
    void aStopAndAStartLeaveAWorkingWalAndDoNotRecoverAgain() {
        AtomicInteger recoveries = new AtomicInteger();
        runner().withBean(WalRecoveryHandler.class, () -> WalRecoveryHandler.collecting(r -> recoveries.incrementAndGet()))
                .run(context -> {
                    Wal wal = context.getBean(Wal.class);
                    wal.save(new HardState(1, 1, 2), WalAutoConfigurationTests.entries(1, 2));
                    context.stop();
                    assertThat(wal.isClosed()).isFalse();
                    context.start();
                    wal.save(new HardState(1, 1, 4), WalAutoConfigurationTests.entries(3, 4));
                    assertThat(context.getBean(Wal.class)).isSameAs(wal);
                    assertThat(wal.lastIndex()).isEqualTo(4);
                    assertThat(recoveries).hasValue(1);
                });
        try (Wal reopened = Wal.open(temp.resolve("wal"), WalSnapshot.ZERO)) {
            assertThat(reopened.readAll().entries()).extracting(Entry::index).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aStopMakesEverySaveDurableUnderAPolicyThatDoesNotSyncThem() {
        runner().withPropertyValues("wal.sync-policy=none").run(context -> {
            Wal wal = context.getBean(Wal.class);
            wal.save(new HardState(1, 1, 3), WalAutoConfigurationTests.entries(1, 3));
            assertThat(wal.status().durableIndex()).isLessThan(3);
            context.stop();
            assertThat(wal.status().durableIndex()).isEqualTo(3);
        });
    }

    @Test
    void aStopOrCloseAfterTheDirectoryWasRemovedIsNoError() {
        runner().run(context -> {
            Wal wal = context.getBean(Wal.class);
            wal.save(new HardState(1, 1, 1), WalAutoConfigurationTests.entries(1, 1));
            try (var files = Files.walk(temp.resolve("wal"))) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
            context.stop();
        });
        assertThat(temp.resolve("wal")).doesNotExist();
    }

    @Test
    void recoveryHandlersSeeTheLogOneEntryAtATimeWithOverwrites() {
        try (Wal wal = Wal.create(temp.resolve("wal"), null)) {
            wal.save(new HardState(1, 1, 0), WalAutoConfigurationTests.entries(1, 5));
            // a new leader replaces 4 and 5
            wal.save(new HardState(2, 2, 3), List.of(Entry.normal(2, 4, new byte[] {4})));
        }
        List<String> calls = new ArrayList<>();
        runner().withBean(WalRecoveryHandler.class, () -> new WalRecoveryHandler() {
            @Override
            public void begin(WalRecoveryStart start) {
                calls.add("begin " + start.snapshot().index() + " created=" + start.created());
            }

            @Override
            public void entry(Entry entry) {
                calls.add("entry " + entry.index() + "@" + entry.term());
            }

            @Override
            public void truncated(long index) {
                calls.add("truncated " + index);
            }

            @Override
            public void end(WalRecoveryEnd end) {
                calls.add("end " + end.lastIndex() + " " + end.hardState() + " entries=" + end.entries());
            }
        }).run(context -> assertThat(context).hasNotFailed());
        assertThat(calls).containsExactly("begin 0 created=false", "entry 1@1", "entry 2@1", "entry 3@1", "entry 4@1",
                "entry 5@1", "truncated 4", "entry 4@2", "end 4 " + new HardState(2, 2, 3) + " entries=6");
    }
}

package dev.jwal.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

/** The customizer behind {@link AutoConfigureTestWal}, on a context this test closes itself. */
class TestWalContextCustomizerTests {

    @Test
    void theTemporaryDirectoryIsRemovedOnceTheContextAndItsWalHaveClosed() {
        Path directory;
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(
                    TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME,
                    java.util.Map.of("wal.segment-size", "2MB")));
            new TestWalContextCustomizer("1MB", "none").customizeContext(context, null);
            context.register(WalAutoConfiguration.class);
            context.refresh();
            Wal wal = context.getBean(Wal.class);
            directory = wal.directory().getParent();
            wal.save(new HardState(1, 1, 1), List.of(dev.jwal.core.Entry.normal(1, 1, new byte[] {1})));
            assertThat(Files.isDirectory(wal.directory())).isTrue();
            // inlined test properties win over the annotation's settings; the rest apply
            assertThat(context.getBean(dev.jwal.spring.boot.autoconfigure.ConfiguredWalOptions.class).options().segmentSize()).isEqualTo(2 * 1024 * 1024);
            assertThat(context.getBean(dev.jwal.spring.boot.autoconfigure.ConfiguredWalOptions.class).options().syncPolicy())
                    .isEqualTo(dev.jwal.core.SyncPolicy.NONE);
        }
        assertThat(directory).doesNotExist();
    }

    @Test
    void equalSettingsMakeEqualCustomizersSoThatContextsAreShared() {
        assertThat(new TestWalContextCustomizer("1MB", "")).isEqualTo(new TestWalContextCustomizer("1MB", ""))
                .hasSameHashCodeAs(new TestWalContextCustomizer("1MB", ""))
                .isNotEqualTo(new TestWalContextCustomizer("2MB", ""));
    }
}

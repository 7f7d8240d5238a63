package dev.jwal.spring.boot.test;

import dev.jwal.core.WalDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Points one test context's WAL at a new temporary directory and removes that directory when the
 * context closes. Two customizers with the same settings are equal, so that Spring's context
 * cache shares a context between test classes that ask for the same thing.
 */
final class TestWalContextCustomizer implements ContextCustomizer {

    static final String SOURCE = "jwalTestWal";

    private final String segmentSize;
    private final String syncPolicy;

    TestWalContextCustomizer(String segmentSize, String syncPolicy) {
        this.segmentSize = segmentSize;
        this.syncPolicy = syncPolicy;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
        Path directory;
        try {
            directory = Files.createTempDirectory("jwal-test-");
        } catch (IOException e) {
            throw new UncheckedIOException("creating a temporary directory for the test WAL", e);
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("wal.directory", directory.resolve("wal").toString());
        properties.put("wal.segment-size", segmentSize);
        properties.put("wal.preallocate", "false");
        if (!syncPolicy.isEmpty()) {
            properties.put("wal.sync-policy", syncPolicy);
        }
        MapPropertySource settings = new MapPropertySource(SOURCE, properties);
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        String inlined = TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME;
        if (sources.contains(inlined)) {
            sources.addAfter(inlined, settings);
        } else {
            sources.addFirst(settings);
        }
        // Registered before any bean exists, so destroyed after all of them: after the WAL closed.
        if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
            registry.registerDisposableBean("jwalTestWalDirectory", new TemporaryDirectory(directory));
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TestWalContextCustomizer that && segmentSize.equals(that.segmentSize)
                && syncPolicy.equals(that.syncPolicy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(segmentSize, syncPolicy);
    }
}

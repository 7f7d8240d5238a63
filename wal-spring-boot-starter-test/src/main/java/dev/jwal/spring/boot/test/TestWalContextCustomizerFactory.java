package dev.jwal.spring.boot.test;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Finds {@link AutoConfigureTestWal} on a test class (or where its configuration is inherited from) and applies it. */
class TestWalContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        AutoConfigureTestWal annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
                AutoConfigureTestWal.class);
        return annotation == null ? null
                : new TestWalContextCustomizer(annotation.segmentSize(), annotation.syncPolicy());
    }
}

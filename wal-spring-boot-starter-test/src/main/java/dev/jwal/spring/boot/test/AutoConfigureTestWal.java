package dev.jwal.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives each test application context its own WAL in a new temporary directory, removed when the
 * context closes (after the WAL has closed), with small segments and no preallocation, so that a
 * {@code @SpringBootTest} needs no {@code wal.directory} and no cleanup:
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureTestWal
 * class OrderServiceTests { ... }
 * }</pre>
 *
 * <p>The settings sit above the application's own configuration files (so {@code wal.directory}
 * in {@code application.yml} is replaced) and below a test's inlined properties
 * ({@code @SpringBootTest(properties = ...)}, {@code @TestPropertySource}), which still win. Test
 * classes with the same configuration share a context, and so a WAL, as Spring's context cache
 * shares everything else. Needs {@code spring-test} (in {@code spring-boot-starter-test}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureTestWal {

    /** {@code wal.segment-size} of the test WAL. */
    String segmentSize() default "1MB";

    /**
     * {@code wal.sync-policy} of the test WAL, e.g. {@code "none"} for speed; empty (the default)
     * leaves the application's own setting.
     */
    String syncPolicy() default "";
}

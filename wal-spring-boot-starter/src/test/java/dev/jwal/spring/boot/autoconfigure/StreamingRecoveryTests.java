package dev.jwal.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** An application starts on a WAL ten times larger than its heap: recovery streams the entries. */
class StreamingRecoveryTests {

    private static final int HEAP_MB = 40;

    @TempDir
    Path temp;

    @Test
    void anApplicationStartsOnAWalTenTimesLargerThanItsHeap() throws Exception {
        Path dir = temp.resolve("wal");
        byte[] data = new byte[64 * 1024];
        long total = 0;
        long index = 0;
        try (Wal wal = Wal.create(dir, null,
                WalOptions.builder().syncPolicy(SyncPolicy.NONE).preallocate(false).build())) {
            while (total < 10L * HEAP_MB * 1024 * 1024) {
                index++;
                data[0] = (byte) index;
                wal.save(new HardState(1, 1, index), List.of(Entry.normal(1, index, data)));
                total += data.length;
            }
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MB + "m", "-cp", System.getProperty("java.class.path"), CountingApplication.class.getName(),
                dir.toString()).redirectErrorStream(true).start();
        String output;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            output = String.join("\n", out.lines().toList());
        }
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("recovered " + index + " entries, " + total + " bytes, last index " + index
                + ", commit " + index);
    }

    /** The child JVM: a Spring Boot application whose recovery handler counts what it is handed. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    public static class CountingApplication {

        private long entries;
        private long bytes;

        @Bean
        WalRecoveryHandler counter() {
            return new WalRecoveryHandler() {
                @Override
                public void entry(Entry entry) {
                    entries++;
                    bytes += entry.data().length;
                }

                @Override
                public void truncated(long index) {
                    throw new AssertionError("no overwrites were saved");
                }

                @Override
                public void end(WalRecoveryEnd end) {
                    System.out.println("recovered " + entries + " entries, " + bytes + " bytes, last index "
                            + end.lastIndex() + ", commit " + end.hardState().commit());
                }
            };
        }

        public static void main(String[] args) {
            new SpringApplicationBuilder(CountingApplication.class).web(WebApplicationType.NONE)
                    .properties("wal.directory=" + args[0], "wal.preallocate=false", "spring.main.banner-mode=off")
                    .run().close();
        }
    }
}

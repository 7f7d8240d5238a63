package dev.jwal.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.CrcMismatchException;
import dev.jwal.core.WalScrub;
import dev.jwal.core.WalStatus;
import dev.jwal.spring.boot.autoconfigure.ObservedWal;
import dev.jwal.spring.boot.autoconfigure.WalStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/** What health and the meters make of the background check of sealed segments. */
class WalScrubHealthTests {

    @TempDir
    Path temp;

    private ObservedWal observed(WalScrub scrub) {
        Path directory = temp;
        return new ObservedWal() {
            @Override
            public Path directory() {
                return directory;
            }

            @Override
            public WalStatus status() {
                return new WalStatus(7, 7, 7, List.of(), Optional.empty(), Optional.empty(), false, 0, 0, 0);
            }

            @Override
            public void sync() {
            }

            @Override
            public void close() {
            }

            @Override
            public WalScrub scrub() {
                return scrub;
            }
        };
    }

    @Test
    void healthShowsTheCheckUnderWayAndStaysUp() {
        Health health = new WalHealthIndicator(observed(new WalScrub(3, 10, Optional.empty())), new WalStats(),
                DataSize.ofBytes(0)).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("scrub")).isEqualTo(Map.of("verified", 3, "sealed", 10));
    }

    @Test
    void damageTheCheckFoundTurnsHealthDownNamingFileAndOffset() {
        Path segment = temp.resolve("0000000000000004-0000000000000f00.wal");
        WalScrub scrub = new WalScrub(4, 10, Optional.of(new CrcMismatchException(segment, 4096)));

        Health health = new WalHealthIndicator(observed(scrub), new WalStats(), DataSize.ofBytes(0)).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) health.getDetails().get("error")).startsWith("corruption:").contains(segment.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) health.getDetails().get("scrub");
        assertThat(detail).containsEntry("file", segment.toString()).containsEntry("offset", 4096L)
                .containsEntry("verified", 4);
    }

    @Test
    void theMetersCountTheCheckAndFlagDamage() {
        MeterRegistry registry = new SimpleMeterRegistry();
        WalScrub scrub = new WalScrub(4, 10, Optional.of(new CrcMismatchException(temp.resolve("x.wal"), 8)));
        new WalMetrics(observed(scrub), new WalStats(), "orders").bindTo(registry);

        assertThat(registry.get("wal.scrub.verified").gauge().value()).isEqualTo(4);
        assertThat(registry.get("wal.scrub.sealed").gauge().value()).isEqualTo(10);
        assertThat(registry.get("wal.scrub.damaged").gauge().value()).isEqualTo(1);
    }
}

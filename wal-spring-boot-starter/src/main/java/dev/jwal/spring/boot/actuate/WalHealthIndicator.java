package dev.jwal.spring.boot.actuate;

import dev.jwal.core.RepairResult;
import dev.jwal.core.Wal;
import dev.jwal.core.WalException;
import dev.jwal.core.WalScrub;
import dev.jwal.spring.boot.autoconfigure.ObservedWal;
import dev.jwal.spring.boot.autoconfigure.WalStats;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.unit.DataSize;

/**
 * UP while the WAL accepts appends and its file system has room; DOWN when it is poisoned (with
 * the first failure), closed, or when free space falls below the threshold, before a write fails.
 * After a startup repair cut a torn tail off, a {@code repaired} detail says what was cut. The
 * {@code scrub} detail says how far the background check of sealed segments has got; damage it
 * finds turns health DOWN, naming the file and offset.
 */
public class WalHealthIndicator implements HealthIndicator {

    private final ObservedWal wal;
    private final WalStats stats;
    private final DataSize freeSpaceThreshold;

    public WalHealthIndicator(Wal wal, WalStats stats, DataSize freeSpaceThreshold) {
        this(ObservedWal.of(wal), stats, freeSpaceThreshold);
    }

    public WalHealthIndicator(ObservedWal wal, WalStats stats, DataSize freeSpaceThreshold) {
        this.wal = wal;
        this.stats = stats;
        this.freeSpaceThreshold = freeSpaceThreshold;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        health.withDetail("directory", wal.directory().toString());
        Optional<WalException> poison = wal.poisonCause();
        if (poison.isPresent()) {
            health.down().withDetail("error", "poisoned: " + poison.get().getMessage());
        } else if (wal.isClosed()) {
            health.down().withDetail("error", "closed");
        }
        health.withDetail("segments", wal.openSegments().size()).withDetail("lastIndex", wal.lastIndex());
        WalScrub scrub = wal.scrub();
        health.withDetail("scrub", scrubDetail(scrub));
        if (scrub.problem().isPresent()) {
            // nothing acknowledged is lost yet, but a sealed segment no longer reads back: a person must look
            health.down().withDetail("error", "corruption: " + scrub.problem().get().getMessage());
        }
        health.withDetails(wal.details());
        // UP all the same (a torn tail is what a power loss leaves), but said, not only logged.
        stats.lastRepair().ifPresent(repair -> health.withDetail("repaired", repairDetail(repair)));
        long lastSync = stats.lastSyncNanos();
        if (lastSync >= 0) {
            health.withDetail("lastFsync", Duration.ofNanos(lastSync).toString());
        }
        try {
            long free = Files.getFileStore(wal.directory()).getUsableSpace();
            health.withDetail("free", free).withDetail("threshold", freeSpaceThreshold.toBytes());
            if (free < freeSpaceThreshold.toBytes() && poison.isEmpty() && !wal.isClosed()) {
                health.down().withDetail("error", "free disk space below " + freeSpaceThreshold);
            }
        } catch (IOException e) {
            health.down().withDetail("error", "cannot read the free space of " + wal.directory() + ": " + e);
        }
        return health.build();
    }

    private static Map<String, Object> scrubDetail(WalScrub scrub) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("verified", scrub.verified());
        detail.put("sealed", scrub.sealed());
        scrub.problem().ifPresent(problem -> {
            detail.put("problem", problem.getMessage());
            problem.file().ifPresent(file -> detail.put("file", file.toString()));
            detail.put("offset", problem.offset());
        });
        return detail;
    }

    private static Map<String, Object> repairDetail(RepairResult repair) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("segment", repair.file().toString());
        detail.put("cutAt", repair.truncatedAt());
        detail.put("bytesRemoved", repair.bytesRemoved());
        detail.put("brokenCopy", repair.broken().map(Object::toString).orElse(null));
        return detail;
    }
}

package dev.jwal.spring.boot.actuate;

import dev.jwal.core.Wal;
import dev.jwal.spring.boot.autoconfigure.ObservedWal;
import dev.jwal.spring.boot.autoconfigure.WalStats;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;

/**
 * The WAL's meters, all named {@code wal.*} and tagged with the WAL's name. {@code wal.fsync} is
 * the counterpart of etcd's {@code etcd_disk_wal_fsync_duration_seconds} and
 * {@code wal.write.bytes} of {@code etcd_disk_wal_write_bytes_total}.
 */
public class WalMetrics implements MeterBinder {

    private final ObservedWal wal;
    private final WalStats stats;
    private final WalDiskUsage diskUsage;
    private final Tags tags;

    public WalMetrics(Wal wal, WalStats stats, String name) {
        this(ObservedWal.of(wal), stats, name);
    }

    public WalMetrics(ObservedWal wal, WalStats stats, String name) {
        this.wal = wal;
        this.stats = stats;
        this.diskUsage = new WalDiskUsage(wal.directory());
        this.tags = Tags.of("name", name);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Timer fsync = Timer.builder("wal.fsync").description("Duration of fdatasyncs of WAL segments and directory")
                .tags(tags).register(registry);
        Timer write = Timer.builder("wal.write").description("Duration of write calls to WAL segments")
                .tags(tags).register(registry);
        DistributionSummary batch = DistributionSummary.builder("wal.group.batch")
                .description("Saves made durable by one group commit fdatasync (sync-policy group)").tags(tags)
                .register(registry);
        DistributionSummary queue = DistributionSummary.builder("wal.group.queue")
                .description("Saves waiting for durability when a group commit began (sync-policy group)")
                .tags(tags).register(registry);
        stats.attach(new WalStats.LatencyRecorder() {
            @Override
            public void synced(long nanos) {
                fsync.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void written(long nanos) {
                write.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void groupCommitted(int saves, int queued) {
                batch.record(saves);
                queue.record(queued);
            }
        });
        FunctionCounter.builder("wal.write.bytes", stats, WalStats::bytesWritten).baseUnit("bytes")
                .description("Bytes written to WAL segments").tags(tags).register(registry);
        FunctionCounter.builder("wal.saves", stats, WalStats::saves).description("Saves completed")
                .tags(tags).register(registry);
        FunctionCounter.builder("wal.entries", stats, WalStats::entries).description("Entries appended")
                .tags(tags).register(registry);
        FunctionCounter.builder("wal.segment.cuts", stats, WalStats::cuts).description("Segments cut")
                .tags(tags).register(registry);
        FunctionCounter.builder("wal.repairs", stats, WalStats::repairs)
                .description("Torn tails cut off the WAL at startup").tags(tags).register(registry);
        FunctionCounter.builder("wal.fsync.slow", stats, WalStats::slowSyncs)
                .description("fdatasyncs slower than wal.slow-sync-threshold").tags(tags).register(registry);
        Gauge.builder("wal.segments", diskUsage, usage -> usage.read().segments())
                .description("Segment files in the WAL directory").tags(tags).register(registry);
        Gauge.builder("wal.disk.usage", diskUsage, usage -> usage.read().bytes()).baseUnit("bytes")
                .description("Bytes of the WAL's segment files").tags(tags).register(registry);
        Gauge.builder("wal.last.index", wal, ObservedWal::lastIndex).description("Index of the last entry saved")
                .tags(tags).register(registry);
        Gauge.builder("wal.scrub.verified", wal, w -> w.scrub().verified())
                .description("Sealed segments the background check has read back intact since the open").tags(tags)
                .register(registry);
        Gauge.builder("wal.scrub.sealed", wal, w -> w.scrub().sealed())
                .description("Sealed segments in the WAL directory, as the background check last counted").tags(tags)
                .register(registry);
        Gauge.builder("wal.scrub.damaged", wal, w -> w.scrub().problem().isPresent() ? 1 : 0)
                .description("1 when the background check found a sealed segment that does not read back").tags(tags)
                .register(registry);
        Gauge.builder("wal.poisoned", wal, w -> w.poisonCause().isPresent() ? 1 : 0)
                .description("1 when a write or sync failed and the WAL refuses appends").tags(tags)
                .register(registry);
    }
}

package dev.jwal.spring.boot.actuate;

import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalException;
import dev.jwal.core.WalScrub;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalVerdict;
import dev.jwal.core.inspect.RecordKind;
import dev.jwal.core.inspect.ScanOutcome;
import dev.jwal.core.inspect.SegmentFile;
import dev.jwal.core.inspect.SegmentReport;
import dev.jwal.core.inspect.WalInspector;
import dev.jwal.spring.boot.autoconfigure.ObservedWal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code wal} Actuator endpoint: a summary with the segment files, one segment's record
 * statistics ({@code /actuator/wal/{segment}}), and a {@code verify} of the whole log (a POST).
 * Everything it reads, it reads without the write lock and without changing a byte.
 */
@Endpoint(id = "wal")
public class WalEndpoint {

    private final ObservedWal wal;
    private final WalOptions options;
    private final WalInspector inspector;
    private final String name;
    /** A verify reads the whole log: one at a time, so that callers cannot stack them on the disk. */
    private final Semaphore verifying = new Semaphore(1);

    public WalEndpoint(Wal wal, WalOptions options, String name) {
        this(ObservedWal.of(wal), options, name);
    }

    WalEndpoint(ObservedWal wal, WalOptions options, String name) {
        this.wal = wal;
        this.options = options;
        this.inspector = new WalInspector(options);
        this.name = name;
    }

    /** Bytes per second its verify and inspection read at most (0 for no limit). */
    long verifyReadRate() {
        return options.examineReadRate();
    }

    /** The WAL's state and its segment files, oldest first. */
    @ReadOperation
    public WalSummary summary() {
        Set<String> held = wal.openSegments().stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toSet());
        List<SegmentSummary> segments = inspector.segmentFiles(wal.directory()).stream()
                .map(file -> SegmentSummary.of(file, held.contains(file.name()))).toList();
        WalException poison = wal.poisonCause().orElse(null);
        WalScrub scrub = wal.scrub();
        return new WalSummary(name, wal.directory().toString(), options.syncPolicy().name(), wal.lastIndex(),
                wal.isClosed(), poison == null ? null : poison.getMessage(), new ScrubSummary(scrub.verified(),
                        scrub.sealed(), scrub.problem().map(WalException::getMessage).orElse(null)), segments);
    }

    /** The record statistics of one segment, read and checked on their own; 404 when there is none. */
    @ReadOperation
    public SegmentDetail segment(@Selector String segment) {
        try {
            return inspector.segment(wal.directory(), segment).map(SegmentDetail::of).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "Invalid segment name");
        }
    }

    /**
     * Reads the whole log, every checksum, segment header and link, as {@code jwal verify} does,
     * at the newest valid snapshot, and gives the same verdict ({@link WalVerdict}). One runs at a
     * time: a call while one runs is answered 429 at once, without reading anything.
     */
    @WriteOperation
    public WebEndpointResponse<Object> verify() {
        if (!verifying.tryAcquire()) {
            return new WebEndpointResponse<>(Map.of("error", "Too Many Requests", "detail",
                    "a verify of " + wal.directory() + " is running; ask again once it has answered"), 429);
        }
        try {
            return new WebEndpointResponse<>(verifyNow(), 200);
        } finally {
            verifying.release();
        }
    }

    private Verification verifyNow() {
        // One scan finds what validSnapshotEntries would: the snapshot markers at or below the
        // last commit index; the examination then judges the log from the newest of them.
        List<WalSnapshot> markers = new ArrayList<>();
        long[] commit = {0};
        try {
            inspector.scan(wal.directory(), record -> {
                if (record.kind() == RecordKind.SNAPSHOT) {
                    markers.add(record.snapshot());
                } else if (record.kind() == RecordKind.STATE) {
                    commit[0] = record.hardState().commit();
                }
            });
        } catch (WalException e) {
            return Verification.of(WalVerdict.of(e), null);
        }
        WalSnapshot snapshot = WalSnapshot.ZERO;
        for (WalSnapshot marker : markers) {
            if (Long.compareUnsigned(marker.index(), commit[0]) <= 0) {
                snapshot = marker;
            }
        }
        return Verification.of(WalDirectory.examine(wal.directory(), snapshot, options), snapshot);
    }

    /** The endpoint's summary. */
    public record WalSummary(String name, String directory, String syncPolicy, long lastIndex, boolean closed,
            String poisoned, ScrubSummary scrub, List<SegmentSummary> segments) {
    }

    /** The background check of sealed segments: how many read back intact, of how many, and what it found. */
    public record ScrubSummary(int verified, int sealed, String damage) {
    }

    /** A segment file: from its name and size, and whether this process's WAL holds its lock. */
    public record SegmentSummary(String name, long sequence, long firstIndex, long size, boolean locked) {

        static SegmentSummary of(SegmentFile file, boolean locked) {
            return new SegmentSummary(file.name(), file.sequence(), file.firstIndex(), file.size(), locked);
        }
    }

    /** One segment's records. */
    public record SegmentDetail(String name, long sequence, long firstIndex, long size, long records,
            Map<String, Long> recordsByType, Long firstEntryIndex, Long lastEntryIndex, long dataEnd,
            boolean preallocatedTail, String crc, Problem problem) {

        static SegmentDetail of(SegmentReport report) {
            Map<String, Long> byType = new LinkedHashMap<>();
            for (RecordKind kind : RecordKind.values()) {
                byType.put(kind.name().toLowerCase(java.util.Locale.ROOT), report.recordsByKind().get(kind));
            }
            ScanOutcome outcome = report.outcome();
            String crc = switch (outcome.ending()) {
                case CLEAN -> "valid";
                case TORN_TAIL -> "valid up to a torn record";
                case CORRUPT -> "mismatch or corrupt record";
            };
            return new SegmentDetail(report.name(), report.sequence(), report.firstIndex(), report.size(),
                    report.records(), byType, report.firstEntryIndex(), report.lastEntryIndex(), report.dataEnd(),
                    report.preallocatedTail(), crc, Problem.of(outcome.problem()));
        }
    }

    /**
     * The verdict of {@link #verify()}: a {@link WalVerdict.Kind} name (CLEAN, TORN_TAIL, CORRUPT,
     * SNAPSHOT_NOT_FOUND, CANNOT_READ); the hard state when the log reads to its end.
     */
    public record Verification(String verdict, WalSnapshot snapshot, State hardState, Problem problem) {

        static Verification of(WalVerdict verdict, WalSnapshot snapshot) {
            boolean read = verdict.kind() == WalVerdict.Kind.CLEAN || verdict.kind() == WalVerdict.Kind.TORN_TAIL;
            HardState state = verdict.hardState();
            return new Verification(verdict.kind().name(), snapshot,
                    read ? new State(state.term(), state.vote(), state.commit()) : null, Problem.of(verdict.problem()));
        }
    }

    /** The last hard state, as raft names its fields. */
    public record State(long term, long vote, long commit) {
    }

    /** What stopped a read, and where. */
    public record Problem(String type, String message, String file, Long offset) {

        static Problem of(WalException e) {
            if (e == null) {
                return null;
            }
            return new Problem(e.getClass().getSimpleName(), e.getMessage(),
                    e.file().map(Object::toString).orElse(null), e.offset() < 0 ? null : e.offset());
        }
    }
}

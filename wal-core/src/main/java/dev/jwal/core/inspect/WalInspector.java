package dev.jwal.core.inspect;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.MetadataConflictException;
import dev.jwal.core.NoWalFilesException;
import dev.jwal.core.RecordDecodeException;
import dev.jwal.core.UnknownRecordTypeException;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.engine.PacedDisk;
import dev.jwal.core.engine.codec.ProtoFormatException;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentMetadata;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Looks inside a WAL directory without locking or changing anything: the operator's view that
 * {@code jwal} and the Actuator endpoint show. Unlike {@code Wal.readAll}, a scan does not stop
 * with an exception at the first problem: it hands over every valid record and then says how the
 * log ended ({@link ScanOutcome}), so that a tool can show what is readable and where it stops.
 */
public final class WalInspector {

    private final Disk disk;
    private final long readLimit;

    /** An inspector reading with the disk and record limit of {@code options}. */
    public WalInspector(WalOptions options) {
        this.disk = PacedDisk.forExamining(options);
        this.readLimit = options.readLimit();
    }

    /** An inspector with the default options: the real disk, etcd's record limit. */
    public static WalInspector withDefaults() {
        return new WalInspector(WalOptions.defaults());
    }

    /**
     * Hands every record of every segment, in order, to {@code handler}, checking the chain of
     * checksums across segments as a replay does.
     *
     * @throws NoWalFilesException when the directory holds no segment
     * @throws dev.jwal.core.FileSequenceGapException when a segment is missing in the sequence
     */
    public ScanOutcome scan(Path directory, Consumer<WalRecord> handler) {
        Path dir = normalize(directory);
        List<SegmentName> names = SegmentDirectory.list(disk, dir);
        if (names.isEmpty()) {
            throw new NoWalFilesException(dir, "no .wal files in the directory");
        }
        SegmentDirectory.checkSequence(dir, names);
        return scanSegments(dir, names, handler);
    }

    /**
     * As {@link #scan}, from the segment a replay at a snapshot of {@code snapshotIndex} starts
     * with: the last one whose first index is at or below it.
     */
    public ScanOutcome scanFrom(Path directory, long snapshotIndex, Consumer<WalRecord> handler) {
        Path dir = normalize(directory);
        return scanSegments(dir, SegmentDirectory.selectFrom(disk, dir, snapshotIndex), handler);
    }

    /** The segment files, oldest first, from their names and sizes alone: cheap enough to poll. */
    public List<SegmentFile> segmentFiles(Path directory) {
        Path dir = normalize(directory);
        List<SegmentFile> files = new ArrayList<>();
        for (String fileName : list(dir)) {
            Optional<SegmentName> name = SegmentName.parse(fileName);
            if (name.isPresent()) {
                Path path = dir.resolve(fileName);
                files.add(new SegmentFile(path, fileName, name.get().sequence(), name.get().firstIndex(),
                        sizeOf(path)));
            }
        }
        return files;
    }

    /** Every segment's report, oldest first. */
    public List<SegmentReport> segments(Path directory) {
        Path dir = normalize(directory);
        List<SegmentReport> reports = new ArrayList<>();
        List<SegmentName> names = SegmentDirectory.list(disk, dir);
        for (SegmentName name : names) {
            reports.add(report(dir, name.fileName(), name, name.equals(names.get(names.size() - 1))));
        }
        return reports;
    }

    /**
     * The report of one segment, by file name. The name must be a segment's name and nothing else
     * (no separators, no {@code ..}), so that a name taken from a request can never reach a file
     * outside the directory.
     *
     * @return empty when the directory has no segment of that name
     * @throws IllegalArgumentException when {@code fileName} is not a segment name
     */
    public Optional<SegmentReport> segment(Path directory, String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        SegmentName name = SegmentName.parse(fileName)
                .orElseThrow(() -> new IllegalArgumentException("not a WAL segment name: '" + fileName
                        + "' (expected <16 hex digits>-<16 hex digits>.wal)"));
        Path dir = normalize(directory);
        List<String> files = list(dir);
        if (!files.contains(fileName)) {
            return Optional.empty();
        }
        List<SegmentName> all = files.stream().flatMap(f -> SegmentName.parse(f).stream()).toList();
        return Optional.of(report(dir, fileName, name, all.get(all.size() - 1).equals(name)));
    }

    /** The files in the directory that are not segments, with what they most likely are. */
    public List<LeftoverFile> leftovers(Path directory) {
        Path dir = normalize(directory);
        List<LeftoverFile> leftovers = new ArrayList<>();
        for (String fileName : list(dir)) {
            if (SegmentName.parse(fileName).isPresent()) {
                continue;
            }
            LeftoverFile.Role role = fileName.endsWith(".broken") ? LeftoverFile.Role.BROKEN_COPY
                    : fileName.matches("[01]\\.tmp") ? LeftoverFile.Role.SPARE
                    : fileName.equals(WalDirectory.INDEX_DIRECTORY) ? LeftoverFile.Role.INDEX : LeftoverFile.Role.OTHER;
            Path path = dir.resolve(fileName);
            long size;
            try {
                size = disk.isDirectory(path) ? 0 : sizeOf(path);
            } catch (WalIoException e) {
                if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
                    continue; // a spare that a running writer just took or removed
                }
                throw e;
            }
            leftovers.add(new LeftoverFile(fileName, size, role));
        }
        return leftovers;
    }

    /** One segment read alone; {@code last}: whether it is the WAL's last, where a tail may be torn. */
    private SegmentReport report(Path dir, String fileName, SegmentName name, boolean last) {
        Map<RecordKind, Long> counts = new EnumMap<>(RecordKind.class);
        for (RecordKind kind : RecordKind.values()) {
            counts.put(kind, 0L);
        }
        Long[] entryRange = new Long[2];
        Path path = dir.resolve(fileName);
        ScanOutcome outcome = scanFiles(List.of(path), last, record -> {
            counts.merge(record.kind(), 1L, Long::sum);
            if (record.kind() == RecordKind.ENTRY) {
                if (entryRange[0] == null) {
                    entryRange[0] = record.entry().index();
                }
                entryRange[1] = record.entry().index();
            }
        });
        long size = sizeOf(path);
        long records = counts.values().stream().mapToLong(Long::longValue).sum();
        boolean preallocatedTail = outcome.isClean() && outcome.validEnd() < size;
        return new SegmentReport(fileName, name.sequence(), name.firstIndex(), size, records, Map.copyOf(counts),
                entryRange[0], entryRange[1], outcome.validEnd(), preallocatedTail, outcome);
    }

    private ScanOutcome scanSegments(Path dir, List<SegmentName> names, Consumer<WalRecord> handler) {
        List<Path> paths = new ArrayList<>(names.size());
        for (SegmentName name : names) {
            paths.add(dir.resolve(name.fileName()));
        }
        return scanFiles(paths, true, handler);
    }

    private ScanOutcome scanFiles(List<Path> paths, boolean endsAtTail, Consumer<WalRecord> handler) {
        List<DiskFile> opened = new ArrayList<>();
        try {
            List<FrameDecoder.Source> sources = new ArrayList<>();
            for (Path path : paths) {
                DiskFile file = disk.openForRead(path);
                opened.add(file);
                sources.add(new FrameDecoder.Source(path, file));
            }
            FrameDecoder decoder = new FrameDecoder(sources, readLimit, endsAtTail);
            RecordView view = new RecordView();
            ProtoReader reader = new ProtoReader();
            boolean framed = false;
            byte[] seenMetadata = null;
            try {
                while (decoder.next(view)) {
                    framed = true;
                    WalRecord record = decode(view, decoder, reader);
                    if (record.kind() == RecordKind.METADATA) {
                        seenMetadata = checkMetadata(seenMetadata, record, decoder);
                    }
                    framed = false;
                    handler.accept(record);
                }
            } catch (WalException problem) {
                if (problem instanceof WalIoException) {
                    throw problem;
                }
                // A frame that passed its checks but does not decode ends before itself.
                long validEnd = framed ? decoder.recordOffset() : decoder.lastValidOffset();
                return ScanOutcome.of(problem, decoder.currentPath(), validEnd);
            }
            return ScanOutcome.of(null, decoder.currentPath(), decoder.lastValidOffset());
        } catch (IOException e) {
            throw new WalIoException("opening for inspection", paths.get(opened.size()), e);
        } finally {
            for (DiskFile file : opened) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // read-only descriptors: nothing was written that a failed close could lose
                }
            }
        }
    }

    /**
     * A segment whose metadata differs from an earlier one's is corrupt, as etcd's reader and
     * {@code verify} say ({@link SegmentMetadata}). Returns the metadata seen so far.
     */
    private static byte[] checkMetadata(byte[] seen, WalRecord record, FrameDecoder decoder) {
        if (SegmentMetadata.conflicts(seen, record.metadata())) {
            throw new MetadataConflictException(decoder.currentPath(), decoder.recordOffset());
        }
        return record.metadata() == null ? new byte[0] : record.metadata();
    }

    private static WalRecord decode(RecordView view, FrameDecoder decoder, ProtoReader reader) {
        Path file = decoder.currentPath();
        long offset = decoder.recordOffset();
        RecordKind kind = RecordKind.of(view.type())
                .orElseThrow(() -> new UnknownRecordTypeException(view.type(), file, offset));
        byte[] metadata = null;
        Entry entry = null;
        HardState state = null;
        WalSnapshot snapshot = null;
        try {
            switch (kind) {
                case METADATA -> metadata = view.copyData();
                case ENTRY -> entry = RaftCodec.decodeEntry(view.readData(reader));
                case STATE -> state = RaftCodec.decodeHardState(view.readData(reader));
                case SNAPSHOT -> snapshot = RaftCodec.decodeSnapshot(view.readData(reader));
                case CRC -> {
                    // the checksum is the record's own field, checked by the decoder
                }
            }
        } catch (ProtoFormatException e) {
            throw new RecordDecodeException(e.getMessage(), file, offset);
        }
        return new WalRecord(kind, file, offset, decoder.recordBytes(), decoder.recordPadding(), view.crc(),
                metadata, entry, state, snapshot);
    }

    private List<String> list(Path dir) {
        try {
            return disk.list(dir);
        } catch (IOException e) {
            throw new WalIoException("listing the WAL directory", dir, e);
        }
    }

    private long sizeOf(Path path) {
        try (DiskFile file = disk.openForRead(path)) {
            return file.size();
        } catch (IOException e) {
            throw new WalIoException("reading the size of", path, e);
        }
    }

    private static Path normalize(Path directory) {
        return directory.toAbsolutePath().normalize();
    }
}

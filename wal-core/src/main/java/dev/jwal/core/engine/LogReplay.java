package dev.jwal.core.engine;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.SliceOutOfRangeException;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.UnknownRecordTypeException;
import dev.jwal.core.WalReplayHandler;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.engine.codec.Frames;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.segment.SegmentName;
import java.util.List;

/**
 * etcd's ReadAll loop: the checks it makes (metadata agreement, the snapshot's term, entries that
 * follow on or overwrite), handing each entry after the snapshot to a {@link WalReplayHandler};
 * for a writable WAL it also records where each entry sits, for reads by index.
 */
final class LogReplay {

    private final WalSnapshot start;
    private final WalReplayHandler handler;
    private final EntryIndex index;
    private final List<SegmentName> names;
    private final ProtoReader reader = new ProtoReader();
    byte[] metadata;
    HardState state = HardState.EMPTY;
    long lastIndexSeen;
    /** The index of the last entry handed on; the next must follow it or overwrite. */
    private long lastDelivered;
    long delivered;
    /** Records read, of every type. */
    long records;
    boolean snapshotFound;
    UnexpectedEofException tornTail;
    private java.nio.file.Path currentPath;
    private SegmentName currentName;
    /** Reading from the oldest segment with no snapshot: the first entry read sets where the log starts. */
    private final boolean fromOldest;
    private boolean entrySeen;
    /** The markers of the last segment in which any was read, for the writer that takes the tail over. */
    private java.nio.file.Path markersPath;
    /** The last segment holding an entry the index was not told of, at or below the snapshot. */
    private java.nio.file.Path unindexedPath;
    private final java.util.List<WalSnapshot> markersInSegment = new java.util.ArrayList<>();

    /** Hands nothing on: for passes that only judge the log. */
    static final WalReplayHandler IGNORE = new WalReplayHandler() {
        @Override
        public void entry(Entry entry) {
        }

        @Override
        public void truncated(long index) {
        }
    };

    /** A replay from {@code start}; {@code index} (null for a read-only WAL) learns each entry's place. */
    LogReplay(WalSnapshot start, WalReplayHandler handler, EntryIndex index, List<SegmentName> names) {
        this(start, handler, index, names, false);
    }

    private LogReplay(WalSnapshot start, WalReplayHandler handler, EntryIndex index, List<SegmentName> names,
            boolean fromOldest) {
        this.start = start;
        this.handler = handler;
        this.index = index;
        this.names = names;
        this.lastDelivered = start.index();
        this.fromOldest = fromOldest;
        this.snapshotFound = fromOldest;
    }

    /**
     * A judging pass over every segment from the oldest, whatever snapshot a node would open at:
     * entries must follow on from the first one read, and no snapshot marker is looked for.
     */
    static LogReplay fromOldest(List<SegmentName> names) {
        return new LogReplay(WalSnapshot.ZERO, IGNORE, null, names, true);
    }

    /**
     * Continues after segments a checkpoint vouched for instead of reading them: their metadata,
     * their last hard state and entry index, and whether the snapshot opened at is among their
     * markers. The handler is told the metadata, as reading them would have told it.
     */
    void resumeAfter(Checkpoint checkpoint, long firstSequence, long lastSequence) {
        Checkpoint.Segment last = checkpoint.segments().stream().filter(s -> s.sequence() == lastSequence)
                .findFirst().orElseThrow();
        if (checkpoint.metadata() != null || metadata == null) {
            metadata = checkpoint.metadata();
            if (metadata != null) {
                handler.metadata(metadata);
            }
        }
        state = last.stateAfter();
        lastIndexSeen = last.lastIndexAfter();
        if (Long.compareUnsigned(lastIndexSeen, lastDelivered) > 0) {
            lastDelivered = lastIndexSeen;
        }
        for (Checkpoint.Segment skipped : checkpoint.segments()) {
            if (skipped.sequence() >= firstSequence && skipped.sequence() <= lastSequence) {
                for (WalSnapshot marker : skipped.markers()) {
                    snapshotFound |= SegmentFiles.isTheSnapshot(start, marker);
                }
            }
        }
    }

    /**
     * The snapshot markers read from the tail at {@code path}, for the writer that takes it over;
     * null when the index did not learn every entry it holds (some were at or below the snapshot
     * opened at), so that the writer cannot summarise it.
     */
    List<WalSnapshot> markersOfTail(java.nio.file.Path path) {
        if (path.equals(unindexedPath)) {
            return null;
        }
        return path.equals(markersPath) ? List.copyOf(markersInSegment) : List.of();
    }

    void run(FrameDecoder decoder) {
        RecordView record = new RecordView();
        while (decoder.next(record)) {
            records++;
            SegmentFiles.visitDecoding(this::apply, record, decoder);
        }
    }

    void apply(RecordView record, FrameDecoder decoder) {
        switch ((int) record.type() == record.type() ? (int) record.type() : -1) {
            case RecordType.ENTRY -> {
                Entry entry = RaftCodec.decodeEntry(record.readData(reader));
                if (fromOldest && !entrySeen) {
                    lastDelivered = entry.index() - 1;
                }
                entrySeen = true;
                if (Long.compareUnsigned(entry.index(), start.index()) > 0) {
                    if (Long.compareUnsigned(entry.index(), lastDelivered + 1) > 0) {
                        throw new SliceOutOfRangeException(entry.index(), lastDelivered + 1, decoder.currentPath(),
                                decoder.recordOffset());
                    }
                    if (Long.compareUnsigned(entry.index(), lastDelivered) <= 0) {
                        handler.truncated(entry.index());
                    }
                    if (index != null) {
                        index.add(entry.index(), entry.term(), segmentOf(decoder).sequence(), decoder.currentPath(),
                                decoder.recordOffset(), (int) (Frames.LENGTH_FIELD_BYTES + decoder.recordBytes()
                                        + decoder.recordPadding()), decoder.recordCrcSeed());
                    }
                    handler.entry(entry);
                    lastDelivered = entry.index();
                    delivered++;
                } else {
                    unindexedPath = decoder.currentPath();
                }
                lastIndexSeen = entry.index();
            }
            case RecordType.STATE -> state = RaftCodec.decodeHardState(record.readData(reader));
            case RecordType.METADATA -> {
                byte[] data = record.copyData();
                SegmentFiles.checkMetadata(metadata, data, decoder);
                if (metadata == null) {
                    handler.metadata(data);
                }
                metadata = data;
            }
            case RecordType.CRC -> {
                // checked and chained by the decoder
            }
            case RecordType.SNAPSHOT -> {
                WalSnapshot marker = RaftCodec.decodeSnapshot(record.readData(reader));
                if (!decoder.currentPath().equals(markersPath)) {
                    markersPath = decoder.currentPath();
                    markersInSegment.clear();
                }
                markersInSegment.add(marker);
                if (!fromOldest) {
                    snapshotFound |= SegmentFiles.isTheSnapshot(start, marker);
                } else if (Long.compareUnsigned(marker.index(), lastDelivered) > 0) {
                    // A marker ahead of every entry read is a snapshot a node installed from its
                    // leader: its log goes on after the marker, as a node opening there reads it.
                    lastDelivered = marker.index();
                }
            }
            default -> throw new UnknownRecordTypeException(record.type(), decoder.currentPath(),
                    decoder.recordOffset());
        }
    }

    private SegmentName segmentOf(FrameDecoder decoder) {
        if (decoder.currentPath() == currentPath) {
            return currentName;
        }
        String file = decoder.currentPath().getFileName().toString();
        for (SegmentName name : names) {
            if (name.fileName().equals(file)) {
                currentPath = decoder.currentPath();
                currentName = name;
                return name;
            }
        }
        throw new IllegalStateException("replaying a segment that was not opened: " + file);
    }
}

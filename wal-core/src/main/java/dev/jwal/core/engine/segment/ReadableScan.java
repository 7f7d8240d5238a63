package dev.jwal.core.engine.segment;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.ReadableRecords;
import dev.jwal.core.engine.codec.Frames;
import dev.jwal.core.engine.codec.ProtoFormatException;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.codec.RollingCrc;
import dev.jwal.core.io.DiskFile;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Looks past damage in a segment for records that read back intact, to tell a torn tail (nothing
 * readable follows) from corruption of a log that was once whole (the FAST '18 paper
 * "Protocol-Aware Recovery for Consensus-Based Storage" shows why cutting at the first bad
 * record loses committed data).
 *
 * <p>A record's CRC chains from the one before it, so a record can be checked on its own only
 * when the checksum it continues from is known. From the damage on, every 8-byte aligned offset is
 * tried as a frame: a length field that is exactly what a writer makes for its length (padding
 * included), inside the file and the record limit, and a record of a known type. Such a frame
 * is an anchor; the frame after it must then continue its checksum. An anchor with at least one
 * record chaining from it, and every record chaining on, counts as readable. When the damaged
 * record's own frame still parses, the record after it is checked against its stored checksum
 * too, so a single intact record after a bit flip is found. A single frame whose checksum cannot
 * be checked counts too when its data decodes in full as its type says: the files hold zeros
 * where nothing was written, so such a frame was written, and may be an acknowledged save. Random
 * bytes inside a damaged record could pass for one only by forming an exact length field, a
 * record and a message; the price of that rare mistake is a refusal, never a lost record.
 */
final class ReadableScan {

    private static final int BUFFER_BYTES = 1 << 20;
    private static final byte[] ZEROS = new byte[BUFFER_BYTES];

    private final long fileSize;
    private final long maxRecordSize;
    private final ProtoReader reader = new ProtoReader();
    private final RecordView view = new RecordView();
    private final RollingCrc crc = new RollingCrc();
    private final FileWindow window = new FileWindow(BUFFER_BYTES);

    private long records;
    private long firstOffset = -1;
    private long endOffset = -1;
    private long firstEntry = -1;
    private long lastEntry = -1;
    private HardState lastState;
    /** Set by {@link #frameAt}: the frame's end and its stored checksum. */
    private long frameEnd;
    private int frameCrc;

    private ReadableScan(DiskFile file, Path path, long fileSize, long maxRecordSize) {
        this.fileSize = fileSize;
        this.maxRecordSize = maxRecordSize;
        window.reset(file, path);
    }

    /**
     * The readable records after damage at {@code damageOffset}.
     *
     * @param damagedFrameEnd where the damaged frame ends when its frame parsed, else -1
     * @param damagedCrc the damaged record's stored checksum, when its frame parsed
     */
    static ReadableRecords after(DiskFile file, Path path, long fileSize, long damageOffset, long maxRecordSize,
            long damagedFrameEnd, int damagedCrc) {
        ReadableScan scan = new ReadableScan(file, path, fileSize, maxRecordSize);
        return scan.run(damageOffset, damagedFrameEnd, damagedCrc);
    }

    private ReadableRecords run(long damageOffset, long damagedFrameEnd, int damagedCrc) {
        long position = damageOffset + Frames.LENGTH_FIELD_BYTES;
        if (damagedFrameEnd > 0) {
            long chained = chainFrom(damagedFrameEnd, damagedCrc, -1);
            if (chained > damagedFrameEnd) {
                position = chained;
            }
        }
        while (position + Frames.LENGTH_FIELD_BYTES <= fileSize) {
            position = skipZeros(position);
            if (position + Frames.LENGTH_FIELD_BYTES > fileSize) {
                break;
            }
            if (!frameAt(position)) {
                position += Frames.LENGTH_FIELD_BYTES;
                continue;
            }
            long anchorEnd = frameEnd;
            boolean decodes = decodes();
            long chained = chainFrom(anchorEnd, frameCrc, position);
            if (chained > anchorEnd) {
                position = chained;
            } else if (decodes) {
                // Alone, its checksum cannot be checked; but jwal's and etcd's files hold zeros
                // where nothing was written, so a whole record there was written, and may be the
                // last acknowledged save: better refuse than cut it.
                count(position, anchorEnd);
                position = anchorEnd;
            } else {
                position += Frames.LENGTH_FIELD_BYTES;
            }
        }
        if (records == 0) {
            return ReadableRecords.NONE;
        }
        return new ReadableRecords(records, firstOffset, endOffset, firstEntry, lastEntry, lastState);
    }

    /**
     * Follows records that continue {@code seed} from {@code position}; counts them, and the
     * anchor at {@code anchorOffset} (-1: none) when at least one does. Returns where the chain
     * ends.
     */
    private long chainFrom(long position, int seed, long anchorOffset) {
        long at = position;
        int running = seed;
        long chained = 0;
        while (at + Frames.LENGTH_FIELD_BYTES <= fileSize && frameAt(at)) {
            boolean continues;
            if (view.type() == RecordType.CRC) {
                continues = view.crc() == running;
            } else {
                crc.seed(running);
                crc.update(window.buffer(), view.dataOffset(), view.dataLength());
                continues = view.crc() == crc.value();
            }
            if (!continues) {
                break;
            }
            if (chained == 0 && anchorOffset >= 0) {
                count(anchorOffset, at);
            }
            note();
            count(at, frameEnd);
            running = view.crc();
            chained++;
            at = frameEnd;
        }
        return chained == 0 ? position : at;
    }

    private void count(long start, long end) {
        records++;
        if (firstOffset < 0) {
            firstOffset = start;
        }
        endOffset = end;
    }

    /** Whether the record in {@link #view} holds what its type says, decoded in full; notes it if so. */
    private boolean decodes() {
        try {
            switch ((int) view.type()) {
                case RecordType.ENTRY -> RaftCodec.decodeEntry(view.readData(reader));
                case RecordType.STATE -> RaftCodec.decodeHardState(view.readData(reader));
                case RecordType.SNAPSHOT -> RaftCodec.decodeSnapshot(view.readData(reader));
                case RecordType.CRC -> {
                    if (view.hasData()) {
                        return false;
                    }
                }
                default -> {
                    // metadata is the application's bytes: any
                }
            }
        } catch (ProtoFormatException e) {
            return false;
        }
        note();
        return true;
    }

    /** Remembers the entry index or hard state of the verified record in {@link #view}. */
    private void note() {
        try {
            if (view.type() == RecordType.ENTRY) {
                Entry entry = RaftCodec.decodeEntry(view.readData(reader));
                if (firstEntry < 0) {
                    firstEntry = entry.index();
                }
                lastEntry = entry.index();
            } else if (view.type() == RecordType.STATE) {
                lastState = RaftCodec.decodeHardState(view.readData(reader));
            }
        } catch (ProtoFormatException e) {
            // Its checksum holds, so it was written so; its details are only for the message.
        }
    }

    /**
     * Whether a frame a writer could have made starts at {@code position}: parsed into
     * {@link #view}, with its end in {@link #frameEnd} and checksum in {@link #frameCrc}.
     */
    private boolean frameAt(long position) {
        if (fill(position, Frames.LENGTH_FIELD_BYTES) < Frames.LENGTH_FIELD_BYTES) {
            return false;
        }
        long field = window.longAt(position);
        if (field == 0) {
            return false;
        }
        long recordBytes = Frames.recordBytes(field);
        int padding = Frames.paddingBytes(field);
        if (recordBytes == 0 || field != Frames.lengthField(recordBytes)
                || !Frames.withinLimit(recordBytes, padding, Math.min(maxRecordSize, Integer.MAX_VALUE - 16))) {
            return false;
        }
        long dataStart = position + Frames.LENGTH_FIELD_BYTES;
        long end = dataStart + recordBytes + padding;
        if (end > fileSize || fill(dataStart, (int) (recordBytes + padding)) < recordBytes + padding) {
            return false;
        }
        try {
            view.parse(reader, window.buffer(), window.index(dataStart), (int) recordBytes);
        } catch (ProtoFormatException e) {
            return false;
        }
        if (view.type() < RecordType.METADATA || view.type() > RecordType.SNAPSHOT) {
            return false;
        }
        frameEnd = end;
        frameCrc = view.crc();
        return true;
    }

    /**
     * The first 8-byte aligned offset at or after {@code position} whose word is not all zeros:
     * preallocated space is skipped a buffer at a time (a vectorised compare), so that looking
     * past the end of a mostly empty 64 MiB segment costs a read of it, not 8 million probes.
     */
    private long skipZeros(long position) {
        long at = position;
        while (at + Frames.LENGTH_FIELD_BYTES <= fileSize) {
            int length = (int) Math.min(BUFFER_BYTES, fileSize - at);
            int available = fill(at, length);
            int start = window.index(at);
            int mismatch = Arrays.mismatch(window.buffer(), start, start + available, ZEROS, 0, available);
            if (mismatch >= 0) {
                return at + (mismatch & ~(Frames.LENGTH_FIELD_BYTES - 1));
            }
            if (available < length) {
                return fileSize;
            }
            at += available;
        }
        return at;
    }

    /** At most the file's size: past the end a read finds nothing, and a frame must fit. */
    private int fill(long position, int length) {
        return window.fill(position, (int) Math.min(length, Math.max(0, fileSize - position)));
    }
}

package dev.jwal.core.engine.segment;

import dev.jwal.core.CrcMismatchException;
import dev.jwal.core.FrameTooLargeException;
import dev.jwal.core.ReadableAfterDamageException;
import dev.jwal.core.ReadableRecords;
import dev.jwal.core.RecordDecodeException;
import dev.jwal.core.SegmentHeaderException;
import dev.jwal.core.SegmentTruncatedException;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.engine.codec.Frames;
import dev.jwal.core.engine.codec.ProtoFormatException;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.codec.RollingCrc;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads frames from consecutive segments, checking each record's CRC against the rolling checksum
 * and each segment's crc record against the checksum carried over, as etcd's decoder does.
 *
 * <p>A length field of zero, or the end of a file, ends that file (preallocated space is zeros).
 * No length read from disk is trusted: a frame must be under the record limit and inside its file
 * before a byte is allocated for it. A frame that fails to decode or fails its CRC in the
 * <em>last</em> segment is a torn write when any of its 512-byte sectors is all zeros: the
 * write never completed, and {@link UnexpectedEofException} says so; anywhere else it is
 * corruption.
 *
 * <p>jwal is stricter than etcd about what an unexpected EOF means, keeping etcd's kind: one in
 * a segment that is not the last is {@link SegmentTruncatedException} (or, inside a whole file,
 * not torn); one with records that read back intact after it is
 * {@link ReadableAfterDamageException} ({@link ReadableScan}); one in a segment's header is not
 * torn, since writers sync a header before naming the segment. Every segment must start with a
 * crc record and then the metadata ({@link SegmentHeaderException}).
 */
public final class FrameDecoder {

    /** One segment to read: where it is, for messages, and its open file. */
    public record Source(Path path, DiskFile file) {
    }

    /**
     * The bytes one read brings in. Small enough that the read's bytes are still in the CPU's
     * cache when the checksum and the entry copy go over them (a 1 MiB window replayed 512 MiB
     * about a quarter slower here), large enough that the system calls do not count.
     */
    private static final int BUFFER_BYTES = 256 << 10;
    /** The largest frame a Java array can hold; only a segment over 2 GiB could have one. */
    private static final int MAX_FRAME_BYTES = Integer.MAX_VALUE - 16;

    private final List<Source> sources;
    private final long maxRecordSize;
    private final RollingCrc crc = new RollingCrc();
    private final ProtoReader reader = new ProtoReader();
    private int current;
    private long fileSize;
    private long offset;
    private long recordOffset;
    private long recordBytes;
    private int recordPadding;
    private int recordCrcSeed;
    /** Records read from the current file: the first two (three in segment 0) are its header. */
    private int recordsInFile;
    /** Set while decoding a frame whose record parsed: its end and stored checksum, for a scan. */
    private long parsedFrameEnd = -1;
    private int parsedCrc;
    private final FileWindow window = new FileWindow(BUFFER_BYTES);

    private final boolean endsAtTail;
    private boolean lookPastTheEnd = true;

    /**
     * Whether the end of the tail is checked for readable records beyond it (the default, as every
     * open must): off only for a pass that another pass over the same tail checks right after.
     */
    public FrameDecoder lookPastTheEnd(boolean look) {
        this.lookPastTheEnd = look;
        return this;
    }

    /** A decoder over segments whose last is the WAL's last segment; {@code maxRecordSize}: the read limit. */
    public FrameDecoder(List<Source> sources, long maxRecordSize) {
        this(sources, maxRecordSize, true);
    }

    /**
     * A decoder over segments; {@code endsAtTail} says whether the last of them is the WAL's last
     * segment, the only one a torn write can be in (false: reading a middle segment alone).
     */
    public FrameDecoder(List<Source> sources, long maxRecordSize, boolean endsAtTail) {
        this.sources = List.copyOf(sources);
        this.maxRecordSize = maxRecordSize;
        this.endsAtTail = endsAtTail;
        if (!this.sources.isEmpty()) {
            window.reset(this.sources.get(0).file(), this.sources.get(0).path());
        }
        this.fileSize = sources.isEmpty() ? 0 : sizeOf(sources.get(0));
    }

    /** The checksum after the last record read: the seed of an encoder that continues the log. */
    public RollingCrc crc() {
        return crc;
    }

    /** The file of the record last returned, or of the error just thrown. */
    public Path currentPath() {
        return sources.get(Math.min(current, sources.size() - 1)).path();
    }

    /** The offset of the frame last returned. */
    public long recordOffset() {
        return recordOffset;
    }

    /** The length of the record last returned, without its length field and padding. */
    public long recordBytes() {
        return recordBytes;
    }

    /** The padding after the record last returned. */
    public int recordPadding() {
        return recordPadding;
    }

    /** The checksum the record last returned continued from (its frame is checked against it). */
    public int recordCrcSeed() {
        return recordCrcSeed;
    }

    /**
     * Whether the decoder stopped inside what the current file held when it was named: its crc
     * and metadata records, and for the first segment ever (sequence 0) the snapshot marker that
     * creation writes and syncs before the rename too.
     */
    public boolean inHeader() {
        return recordsInFile < syncedBeforeNaming();
    }

    private int syncedBeforeNaming() {
        String name = currentPath().getFileName() == null ? "" : currentPath().getFileName().toString();
        return SegmentName.parse(name).filter(n -> n.sequence() == 0).isPresent() ? 3 : 2;
    }

    /** The offset after the last valid frame in the current (after the end: the last) file. */
    public long lastValidOffset() {
        return offset;
    }

    /**
     * Reads the next record into {@code view}; false when every file has ended cleanly.
     *
     * @throws UnexpectedEofException when the log ends inside a frame
     * @throws CrcMismatchException, FrameTooLargeException, RecordDecodeException on corruption
     */
    public boolean next(RecordView view) {
        while (current < sources.size()) {
            int available = fill(offset, Frames.LENGTH_FIELD_BYTES);
            long field = available == Frames.LENGTH_FIELD_BYTES ? readLengthField() : 0;
            if (available == 0 || (available == Frames.LENGTH_FIELD_BYTES && field == 0)) {
                if (inHeader()) {
                    throw new SegmentHeaderException(recordsInFile == 0 ? "the file is empty or starts with zeros"
                            : recordsInFile == 1 ? "the file ends after its crc record, before the metadata"
                            : "the first segment ends before the snapshot marker its creation wrote",
                            currentPath(), offset);
                }
                if (current + 1 == sources.size()) {
                    if (available == Frames.LENGTH_FIELD_BYTES && inTail() && lookPastTheEnd) {
                        checkNothingReadableAfterTheEnd();
                    }
                    current++;
                    return false;
                }
                current++;
                offset = 0;
                recordsInFile = 0;
                fileSize = sizeOf(sources.get(current));
                window.reset(sources.get(current).file(), sources.get(current).path());
                continue;
            }
            if (available < Frames.LENGTH_FIELD_BYTES) {
                throw unexpectedEof("the file ends inside a frame's length field", offset + Frames.LENGTH_FIELD_BYTES);
            }
            decodeFrame(view, field);
            checkHeader(view);
            recordsInFile++;
            return true;
        }
        return false;
    }

    private void decodeFrame(RecordView view, long field) {
        long recordBytes = Frames.recordBytes(field);
        int padding = Frames.paddingBytes(field);
        if (!Frames.withinLimit(recordBytes, padding, maxRecordSize)) {
            throw new FrameTooLargeException(recordBytes, maxRecordSize, currentPath(), offset);
        }
        long dataStart = offset + Frames.LENGTH_FIELD_BYTES;
        long frameLength = recordBytes + padding;
        parsedFrameEnd = -1;
        // Bounded by the bytes left in the file (etcd >= 3.5.5), checked in longs before any
        // buffer is sized: no length read from disk is trusted.
        if (dataStart + frameLength > fileSize) {
            throw unexpectedEof("a frame of " + recordBytes + " bytes runs past the end of the file",
                    dataStart + frameLength);
        }
        if (frameLength > MAX_FRAME_BYTES) {
            throw new FrameTooLargeException(recordBytes, MAX_FRAME_BYTES, currentPath(), offset);
        }
        int frameBytes = (int) frameLength;
        if (fill(dataStart, frameBytes) < frameBytes) {
            throw unexpectedEof("a frame of " + recordBytes + " bytes runs past the end of the file",
                    dataStart + frameLength);
        }
        int at = window.index(dataStart);
        byte[] buffer = window.buffer();
        try {
            view.parse(reader, buffer, at, (int) recordBytes);
        } catch (ProtoFormatException e) {
            if (isTorn(at, frameBytes, dataStart)) {
                throw torn();
            }
            if (e.isTruncated()) {
                // etcd's decoder returns gogo's io.ErrUnexpectedEOF as it is: the same kind here.
                throw unexpectedEof("the record ends inside its protobuf encoding", dataStart + frameBytes);
            }
            throw new RecordDecodeException(e.getMessage(), currentPath(), offset);
        }
        parsedFrameEnd = dataStart + frameBytes;
        parsedCrc = view.crc();
        int seed = crc.value();
        if (view.type() == RecordType.CRC) {
            int running = seed;
            if (running != 0 && view.crc() != running) {
                throw new CrcMismatchException(currentPath(), offset);
            }
            crc.seed(view.crc());
        } else {
            crc.update(buffer, view.dataOffset(), view.dataLength());
            if (view.crc() != crc.value()) {
                if (isTorn(at, frameBytes, dataStart)) {
                    throw torn();
                }
                throw new CrcMismatchException(currentPath(), offset);
            }
        }
        recordOffset = offset;
        recordCrcSeed = seed;
        this.recordBytes = recordBytes;
        this.recordPadding = padding;
        offset = dataStart + frameBytes;
    }

    private UnexpectedEofException torn() {
        return unexpectedEof("a 512-byte sector of the record is all zeros", -1);
    }

    /**
     * etcd's unexpected EOF at the frame at {@link #offset}, told apart: a torn tail only in the
     * last segment, past its header, with nothing readable after it.
     *
     * @param frameEnd where the frame would end, when its length field says
     */
    private UnexpectedEofException unexpectedEof(String reason, long frameEnd) {
        Path path = currentPath();
        if (!inTail()) {
            if (frameEnd > fileSize) {
                return new SegmentTruncatedException(path, offset, fileSize, frameEnd);
            }
            return UnexpectedEofException.notTorn(reason, "the segment is not the last", path, offset);
        }
        if (inHeader()) {
            return UnexpectedEofException.notTorn(reason, "the damage is in what the segment held when it was"
                    + " named (its header), which writers sync before the rename", path, offset);
        }
        ReadableRecords readable = ReadableScan.after(sources.get(current).file(), path, fileSize, offset,
                maxRecordSize, parsedFrameEnd, parsedCrc);
        if (readable.any()) {
            return new ReadableAfterDamageException(reason, path, offset, readable);
        }
        return new UnexpectedEofException(reason, path, offset);
    }

    /**
     * A zero length field ends the log (what follows is preallocated space), but a zeroed sector
     * over a length field reads the same: when records that read back intact follow, the log did
     * not end here, and appending over them would destroy them.
     */
    private void checkNothingReadableAfterTheEnd() {
        Path path = currentPath();
        ReadableRecords readable = ReadableScan.after(sources.get(current).file(), path, fileSize, offset,
                maxRecordSize, -1, 0);
        if (readable.any()) {
            throw new ReadableAfterDamageException("a zero length field, which would end the log", path, offset,
                    readable);
        }
    }

    /** Whether the current file is the WAL's last segment. */
    private boolean inTail() {
        return endsAtTail && current >= sources.size() - 1;
    }

    /** A segment starts with a crc record, then the metadata: what makes it readable on its own. */
    private void checkHeader(RecordView view) {
        if (recordsInFile == 0 && view.type() != RecordType.CRC) {
            throw new SegmentHeaderException("its first record is of type " + view.type() + ", not a crc record",
                    currentPath(), recordOffset);
        }
        if (recordsInFile == 1 && view.type() != RecordType.METADATA) {
            throw new SegmentHeaderException("its second record is of type " + view.type() + ", not the metadata",
                    currentPath(), recordOffset);
        }
    }

    /** etcd's {@code isTornEntry}: in the last file, any sector-aligned chunk of the frame all zeros. */
    private boolean isTorn(int at, int length, long fileOffset) {
        if (!inTail()) {
            return false;
        }
        int pos = at;
        int end = at + length;
        long off = fileOffset;
        while (pos < end) {
            int chunk = (int) Math.min(Frames.SECTOR_BYTES - off % Frames.SECTOR_BYTES, end - pos);
            boolean zeros = true;
            byte[] buffer = window.buffer();
            for (int i = pos; i < pos + chunk && zeros; i++) {
                zeros = buffer[i] == 0;
            }
            if (zeros) {
                return true;
            }
            pos += chunk;
            off += chunk;
        }
        return false;
    }

    private long readLengthField() {
        return window.longAt(offset);
    }

    private int fill(long position, int length) {
        return window.fill(position, length);
    }

    private static long sizeOf(Source source) {
        try {
            return source.file().size();
        } catch (IOException e) {
            throw new WalIoException("reading the size of", source.path(), e);
        }
    }
}

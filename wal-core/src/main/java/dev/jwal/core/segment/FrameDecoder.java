package dev.jwal.core.segment;

import dev.jwal.core.CrcMismatchException;
import dev.jwal.core.FrameTooLargeException;
import dev.jwal.core.RecordDecodeException;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.codec.Frames;
import dev.jwal.core.codec.ProtoFormatException;
import dev.jwal.core.codec.ProtoReader;
import dev.jwal.core.codec.RecordType;
import dev.jwal.core.codec.RecordView;
import dev.jwal.core.codec.RollingCrc;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 */
public final class FrameDecoder {

    /** One segment to read: where it is, for messages, and its open file. */
    public record Source(Path path, DiskFile file) {
    }

    private static final int BUFFER_BYTES = 1 << 20;

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
    private byte[] buffer = new byte[BUFFER_BYTES];
    private long bufferStart;
    private int bufferLength;

    public FrameDecoder(List<Source> sources, long maxRecordSize) {
        this.sources = List.copyOf(sources);
        this.maxRecordSize = maxRecordSize;
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
                if (current + 1 == sources.size()) {
                    current++;
                    return false;
                }
                current++;
                offset = 0;
                fileSize = sizeOf(sources.get(current));
                bufferLength = 0;
                continue;
            }
            if (available < Frames.LENGTH_FIELD_BYTES) {
                throw new UnexpectedEofException("the file ends inside a frame's length field", currentPath(), offset);
            }
            decodeFrame(view, field);
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
        int frameBytes = (int) (recordBytes + padding);
        if (dataStart + frameBytes > fileSize || fill(dataStart, frameBytes) < frameBytes) {
            throw new UnexpectedEofException("a frame of " + recordBytes + " bytes runs past the end of the file",
                    currentPath(), offset);
        }
        int at = (int) (dataStart - bufferStart);
        try {
            view.parse(reader, buffer, at, (int) recordBytes);
        } catch (ProtoFormatException e) {
            if (isTorn(at, frameBytes, dataStart)) {
                throw torn();
            }
            if (e.isTruncated()) {
                // etcd's decoder returns gogo's io.ErrUnexpectedEOF as it is: the same kind here.
                throw new UnexpectedEofException("the record ends inside its protobuf encoding", currentPath(), offset);
            }
            throw new RecordDecodeException(e.getMessage(), currentPath(), offset);
        }
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
        return new UnexpectedEofException("torn write: a sector of the last record is all zeros", currentPath(),
                offset);
    }

    /** etcd's {@code isTornEntry}: in the last file, any sector-aligned chunk of the frame all zeros. */
    private boolean isTorn(int at, int length, long fileOffset) {
        if (current != sources.size() - 1) {
            return false;
        }
        int pos = at;
        int end = at + length;
        long off = fileOffset;
        while (pos < end) {
            int chunk = (int) Math.min(Frames.SECTOR_BYTES - off % Frames.SECTOR_BYTES, end - pos);
            boolean zeros = true;
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
        int at = (int) (offset - bufferStart);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (buffer[at + i] & 0xFF);
        }
        return value;
    }

    /**
     * Makes bytes {@code [position, position + length)} of the current file available in the
     * buffer; returns how many are (fewer at the end of the file). {@code length} is bounded by the
     * caller: by the record limit and the file's size.
     */
    private int fill(long position, int length) {
        if (position >= bufferStart && position + length <= bufferStart + bufferLength) {
            return length;
        }
        if (length > buffer.length) {
            buffer = new byte[length];
        }
        ByteBuffer target = ByteBuffer.wrap(buffer);
        Source source = sources.get(current);
        try {
            while (target.position() < length) {
                int n = source.file().read(target, position + target.position());
                if (n < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new WalIoException("reading", source.path(), e);
        }
        bufferStart = position;
        bufferLength = target.position();
        return Math.min(length, bufferLength);
    }

    private static long sizeOf(Source source) {
        try {
            return source.file().size();
        } catch (IOException e) {
            throw new WalIoException("reading the size of", source.path(), e);
        }
    }
}

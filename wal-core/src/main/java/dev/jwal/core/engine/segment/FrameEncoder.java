package dev.jwal.core.engine.segment;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.RecordTooLargeException;
import dev.jwal.core.engine.codec.Frames;
import dev.jwal.core.engine.codec.ProtoWriter;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.codec.RollingCrc;
import java.io.IOException;

/**
 * Turns records into frames on a {@link PageWriter}, chaining the rolling CRC. Each record is two
 * writes, its length field and then the rest, exactly as etcd's encoder issues them (the page
 * writer's flush points depend on it). An entry's payload is copied once, into the page buffer.
 */
public final class FrameEncoder {

    /** Record header: tagged type (≤ 11), tagged crc (≤ 6), data tag and length (≤ 6). */
    private static final int MAX_RECORD_HEADER = 11 + 6 + 6;

    private final PageWriter writer;
    private final RollingCrc crc;
    private final long maxRecordSize;
    private final byte[] lengthField = new byte[Frames.LENGTH_FIELD_BYTES];
    private final byte[] prefix = new byte[Math.max(RaftCodec.MAX_ENTRY_PREFIX, RaftCodec.MAX_HARD_STATE)];
    private final byte[] head = new byte[MAX_RECORD_HEADER + prefix.length];

    public FrameEncoder(PageWriter writer, RollingCrc crc, long maxRecordSize) {
        this.writer = writer;
        this.crc = crc;
        this.maxRecordSize = maxRecordSize;
    }

    /**
     * Fails, before anything is written, when an entry's record could exceed the limit. The crc
     * field's size is not known before the checksum is, so the largest is assumed.
     */
    public void checkEntryFits(Entry entry) {
        checkEntryFits(entry, maxRecordSize);
    }

    /** Like {@link #checkEntryFits(Entry)} for a metadata or snapshot record of {@code dataBytes}. */
    public void checkFits(long dataBytes, boolean hasData, String what) {
        checkFits(dataBytes, hasData, what, maxRecordSize);
    }

    /** {@link #checkEntryFits(Entry)} against {@code maxRecordSize}, without an encoder. */
    public static void checkEntryFits(Entry entry, long maxRecordSize) {
        // Every save checks every entry, so the common case costs a comparison: with the prefix
        // at its longest, the entry fits. Only one near the limit has its prefix measured, and the
        // message is built only for the one that is refused.
        long quickBound = MAX_RECORD_HEADER + RaftCodec.MAX_ENTRY_PREFIX + (long) entry.dataLength();
        if (Frames.withinLimit(quickBound, 7, maxRecordSize)) {
            return;
        }
        long upperBound = MAX_RECORD_HEADER + RaftCodec.entrySize(entry);
        if (!Frames.withinLimit(upperBound, 7, maxRecordSize)) {
            throw new RecordTooLargeException(upperBound, maxRecordSize, "entry " + Long.toUnsignedString(entry.index()));
        }
    }

    /** {@link #checkFits(long, boolean, String)} against {@code maxRecordSize}, without an encoder. */
    public static void checkFits(long dataBytes, boolean hasData, String what, long maxRecordSize) {
        long upperBound = MAX_RECORD_HEADER + dataBytes;
        if (!hasData) {
            upperBound -= 6;
        }
        if (!Frames.withinLimit(upperBound, 7, maxRecordSize)) {
            throw new RecordTooLargeException(upperBound, maxRecordSize, what);
        }
    }

    /** The checksum so far: the one the next record's checksum continues from. */
    public int crcValue() {
        return crc.value();
    }

    public void encodeEntry(Entry entry) throws IOException {
        int prefixLength = RaftCodec.writeEntryPrefix(entry, prefix, 0);
        byte[] data = entry.data();
        encode(RecordType.ENTRY, prefixLength, data == null ? prefix : data, 0, entry.dataLength(), true);
    }

    public void encodeState(HardState state) throws IOException {
        int length = RaftCodec.writeHardState(state, prefix, 0);
        encode(RecordType.STATE, length, prefix, 0, 0, true);
    }

    /** A crc record: no data, and the checksum so far. */
    public void encodeCrc() throws IOException {
        encode(RecordType.CRC, 0, prefix, 0, 0, false);
    }

    /** The metadata record; {@code null} metadata writes no data field, as etcd's nil slice. */
    public void encodeMetadata(byte[] metadata) throws IOException {
        encode(RecordType.METADATA, 0, metadata == null ? prefix : metadata, 0,
                metadata == null ? 0 : metadata.length, metadata != null);
    }

    /** A snapshot record holding a marker already encoded by {@link RaftCodec#encodeSnapshot}. */
    public void encodeSnapshot(byte[] encodedSnapshot) throws IOException {
        encode(RecordType.SNAPSHOT, 0, encodedSnapshot, 0, encodedSnapshot.length, true);
    }

    /** Encodes a record whose data is {@code prefix[0, prefixLength)} followed by the payload. */
    private void encode(int type, int prefixLength, byte[] payload, int payloadOffset, int payloadLength,
            boolean hasData) throws IOException {
        crc.update(prefix, 0, prefixLength);
        crc.update(payload, payloadOffset, payloadLength);
        int checksum = crc.value();
        int dataLength = prefixLength + payloadLength;

        int pos = ProtoWriter.writeVarintField(head, 0, 1, type);
        pos = ProtoWriter.writeVarintField(head, pos, 2, Integer.toUnsignedLong(checksum));
        if (hasData) {
            pos = ProtoWriter.writeLengthPrefix(head, pos, 3, dataLength);
        }
        System.arraycopy(prefix, 0, head, pos, prefixLength);
        int headLength = pos + prefixLength;

        long recordBytes = (long) pos + dataLength;
        int padding = Frames.padding(recordBytes);
        long field = Frames.lengthField(recordBytes);
        for (int i = 0; i < 8; i++) {
            lengthField[i] = (byte) (field >>> (8 * i));
        }
        writer.write(lengthField, 8, null, 0, 0, 0);
        writer.write(head, headLength, payload, payloadOffset, payloadLength, padding);
    }
}

package dev.jwal.core.engine.codec;

/**
 * One decoded {@code walpb.Record}, pointing into the decoder's buffer rather than copying its
 * data. Valid until the decoder reads the next record.
 */
public final class RecordView {

    long type;
    int crc;
    boolean hasData;
    byte[] buffer;
    int dataOffset;
    int dataLength;

    /** The record type; see {@link RecordType}. */
    public long type() {
        return type;
    }

    /** The stored checksum. */
    public int crc() {
        return crc;
    }

    /** Whether the record carries a data field (possibly empty). */
    public boolean hasData() {
        return hasData;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int dataOffset() {
        return dataOffset;
    }

    public int dataLength() {
        return dataLength;
    }

    /** A copy of the data, or {@code null} when the record has no data field. */
    public byte[] copyData() {
        if (!hasData) {
            return null;
        }
        byte[] copy = new byte[dataLength];
        System.arraycopy(buffer, dataOffset, copy, 0, dataLength);
        return copy;
    }

    /** Positions {@code reader} on the data, to decode the message inside. */
    public ProtoReader readData(ProtoReader reader) {
        return reader.reset(buffer, dataOffset, dataLength);
    }

    /**
     * Parses a record with gogo-protobuf's rules. Fields appearing twice keep the last value, as
     * in gogo; unknown fields are skipped.
     */
    public void parse(ProtoReader reader, byte[] buf, int offset, int length) {
        type = 0;
        crc = 0;
        hasData = false;
        buffer = buf;
        dataOffset = offset;
        dataLength = 0;
        reader.reset(buf, offset, length);
        while (reader.nextField("Record")) {
            switch (reader.fieldNumber()) {
                case 1 -> type = reader.varintField("Type");
                case 2 -> crc = (int) reader.varintField("Crc");
                case 3 -> {
                    reader.bytesField("Data");
                    hasData = true;
                    dataOffset = reader.fieldStart();
                    dataLength = reader.fieldLength();
                }
                default -> reader.skipField();
            }
        }
    }
}

package dev.jwal.core.engine.codec;

/** Varint arithmetic for writing protobuf fields into a byte array. */
public final class ProtoWriter {

    private ProtoWriter() {
    }

    /** Bytes a varint of {@code value} (taken as unsigned) occupies. */
    public static int varintSize(long value) {
        return value == 0 ? 1 : (70 - Long.numberOfLeadingZeros(value)) / 7;
    }

    /** Bytes a tag plus varint field occupies; tags of fields 1 to 15 take one byte. */
    public static int varintFieldSize(long value) {
        return 1 + varintSize(value);
    }

    /** Bytes a tag plus length-delimited field of {@code length} bytes occupies. */
    public static int bytesFieldSize(int length) {
        return 1 + varintSize(length) + length;
    }

    /** Writes {@code value} at {@code pos}; returns the position after it. */
    public static int writeVarint(byte[] buf, int pos, long value) {
        while ((value & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[pos++] = (byte) value;
        return pos;
    }

    /** Writes a one-byte tag and a varint. */
    public static int writeVarintField(byte[] buf, int pos, int fieldNumber, long value) {
        buf[pos++] = (byte) (fieldNumber << 3);
        return writeVarint(buf, pos, value);
    }

    /** Writes a one-byte tag and the length of a length-delimited field (not its bytes). */
    public static int writeLengthPrefix(byte[] buf, int pos, int fieldNumber, int length) {
        buf[pos++] = (byte) (fieldNumber << 3 | ProtoReader.LENGTH_DELIMITED);
        return writeVarint(buf, pos, length);
    }
}

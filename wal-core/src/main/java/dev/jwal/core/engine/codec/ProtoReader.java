package dev.jwal.core.engine.codec;

/**
 * Reads protobuf fields from a byte range with the rules of the gogo-protobuf code etcd generates:
 * unknown fields are skipped, a known field with the wrong wire type is an error, a varint longer
 * than ten bytes is an overflow, and a field running past the end is a truncation. Reused: call
 * {@link #reset} before each message.
 */
public final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private byte[] buf;
    private int pos;
    private int limit;
    private int fieldNumber;
    private int wireType;
    private int lengthDelimitedStart;
    private int lengthDelimitedLength;

    /** Starts reading {@code length} bytes of {@code buf} from {@code offset}. */
    public ProtoReader reset(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
        return this;
    }

    /** Reads the next tag; false at the end of the message. */
    boolean nextField(String message) {
        if (pos >= limit) {
            return false;
        }
        long tag = readVarint();
        wireType = (int) (tag & 7);
        // gogo keeps the field number as an int32, so a huge one wraps: mirror that.
        int number = (int) (tag >>> 3);
        if (wireType == END_GROUP) {
            throw ProtoFormatException.malformed(message + ": wiretype end group for non-group");
        }
        if (number <= 0) {
            throw ProtoFormatException.malformed(message + ": illegal tag " + number + " (wire type " + wireType + ")");
        }
        fieldNumber = number;
        return true;
    }

    int fieldNumber() {
        return fieldNumber;
    }

    /** Reads a varint field's value after checking its wire type. */
    long varintField(String fieldName) {
        expect(VARINT, fieldName);
        return readVarint();
    }

    /** Reads a length-delimited field; its bytes are then at {@link #fieldStart()}. */
    void bytesField(String fieldName) {
        expect(LENGTH_DELIMITED, fieldName);
        long length = readVarint();
        if (length < 0) {
            throw ProtoFormatException.malformed("negative length found during unmarshaling");
        }
        // Compared as a remainder: a length near 2^63 would overflow pos + length (found by fuzzing).
        if (length > limit - pos) {
            throw ProtoFormatException.endOfMessage();
        }
        lengthDelimitedStart = pos;
        lengthDelimitedLength = (int) length;
        pos += (int) length;
    }

    /** Reads a repeated varint field, in either its packed or its plain encoding. */
    void repeatedVarintField(String fieldName, java.util.function.LongConsumer values) {
        if (wireType == LENGTH_DELIMITED) {
            bytesField(fieldName);
            int end = pos;
            pos = lengthDelimitedStart;
            int outerLimit = limit;
            limit = end;
            try {
                while (pos < end) {
                    values.accept(readVarint());
                }
            } finally {
                limit = outerLimit;
            }
            pos = end;
            return;
        }
        values.accept(varintField(fieldName));
    }

    int fieldStart() {
        return lengthDelimitedStart;
    }

    int fieldLength() {
        return lengthDelimitedLength;
    }

    byte[] buffer() {
        return buf;
    }

    private void expect(int expected, String fieldName) {
        if (wireType != expected) {
            throw ProtoFormatException.malformed("wrong wireType = " + wireType + " for field " + fieldName);
        }
    }

    /** Skips the field whose tag was just read, as gogo's generated {@code skip} functions do. */
    void skipField() {
        int end = skipFrom(pos, wireType);
        if (end > limit) {
            throw ProtoFormatException.endOfMessage();
        }
        pos = end;
    }

    private int skipFrom(int at, int type) {
        pos = at;
        switch (type) {
            case VARINT -> {
                readVarint();
                return pos;
            }
            case FIXED64 -> {
                return pos + 8;
            }
            case FIXED32 -> {
                return pos + 4;
            }
            case LENGTH_DELIMITED -> {
                long length = readVarint();
                if (length < 0 || length > Integer.MAX_VALUE - pos) {
                    throw ProtoFormatException.malformed("negative length found during unmarshaling");
                }
                return (int) (pos + length);
            }
            case START_GROUP -> {
                while (true) {
                    long innerTag = readVarint();
                    int innerType = (int) (innerTag & 7);
                    if (innerType == END_GROUP) {
                        return pos;
                    }
                    int next = skipFrom(pos, innerType);
                    if (next > limit) {
                        throw ProtoFormatException.endOfMessage();
                    }
                    pos = next;
                }
            }
            case END_GROUP -> {
                return pos;
            }
            default -> throw ProtoFormatException.malformed("illegal wireType " + type);
        }
    }

    private long readVarint() {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift >= 64) {
                throw ProtoFormatException.malformed("integer overflow");
            }
            if (pos >= limit) {
                throw ProtoFormatException.endOfMessage();
            }
            byte b = buf[pos++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }
}

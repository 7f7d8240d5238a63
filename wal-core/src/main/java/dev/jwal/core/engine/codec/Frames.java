package dev.jwal.core.engine.codec;

/**
 * The frame around each record: an 8-byte little-endian length field, the record, and zero
 * padding to the next 8-byte boundary, so that a length field never straddles a sector. The low
 * 56 bits of the field hold the record's length; when there is padding, the top byte is
 * {@code 0x80 | padding}.
 */
public final class Frames {

    /** Bytes of the length field. */
    public static final int LENGTH_FIELD_BYTES = 8;

    /** The sector size torn writes are judged at. */
    public static final int SECTOR_BYTES = 512;

    private Frames() {
    }

    /** Zero bytes that follow a record of {@code recordBytes}. */
    public static int padding(long recordBytes) {
        return (int) ((8 - recordBytes % 8) % 8);
    }

    /** The length field for a record of {@code recordBytes}. */
    public static long lengthField(long recordBytes) {
        int padding = padding(recordBytes);
        return padding == 0 ? recordBytes : recordBytes | (long) (0x80 | padding) << 56;
    }

    /** The record length a length field declares. */
    public static long recordBytes(long lengthField) {
        return lengthField & 0x00FF_FFFF_FFFF_FFFFL;
    }

    /** The padding a length field declares: only a negative field has any. */
    public static int paddingBytes(long lengthField) {
        return lengthField < 0 ? (int) ((lengthField >>> 56) & 0x7) : 0;
    }

    /**
     * Whether a frame of {@code recordBytes} plus padding is within the limit, by etcd 3.4's rule:
     * {@code recBytes < limit - padBytes}.
     */
    public static boolean withinLimit(long recordBytes, int padding, long limit) {
        return recordBytes < limit - padding;
    }
}

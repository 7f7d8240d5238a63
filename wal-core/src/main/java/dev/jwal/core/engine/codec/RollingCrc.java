package dev.jwal.core.engine.codec;

import java.util.zip.CRC32C;

/**
 * etcd's rolling checksum: CRC-32C over the data of every record so far, carried from segment to
 * segment through crc records. {@code value()} after {@code update(d)} equals Go's
 * {@code crc32.Update(previous, castagnoli, d)}.
 *
 * <p>The JDK's {@link CRC32C} runs on the CPU's CRC instruction but cannot start from a given
 * checksum. A running instance needs no seed: it simply keeps accumulating. Where a decoder must
 * start from a checksum read from disk, {@link #seed} feeds four chosen bytes that drive the
 * register to that state: CRC is a bijection on 32-bit words, so the four bytes are found by
 * running the table backwards, once per seed.
 */
public final class RollingCrc {

    private static final int POLY_REFLECTED = 0x82F63B78;
    private static final int[] TABLE = new int[256];
    private static final int[] INDEX_BY_TOP_BYTE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            TABLE[i] = crc;
            INDEX_BY_TOP_BYTE[crc >>> 24] = i;
        }
    }

    private final CRC32C crc = new CRC32C();
    private final byte[] seedBytes = new byte[4];

    /** A checksum starting at 0, as a fresh etcd encoder or decoder. */
    public RollingCrc() {
    }

    /** A checksum continuing from {@code previous}. */
    public RollingCrc(int previous) {
        seed(previous);
    }

    /** Makes {@link #value()} equal {@code previous}, so that updates continue from it. */
    public void seed(int previous) {
        crc.reset();
        if (previous == 0) {
            return;
        }
        // The register holds the complement of the checksum; find the word that leads there.
        int register = ~previous;
        for (int round = 0; round < 4; round++) {
            int index = INDEX_BY_TOP_BYTE[register >>> 24];
            register = ((register ^ TABLE[index]) << 8) | index;
        }
        int word = ~register;
        seedBytes[0] = (byte) word;
        seedBytes[1] = (byte) (word >>> 8);
        seedBytes[2] = (byte) (word >>> 16);
        seedBytes[3] = (byte) (word >>> 24);
        crc.update(seedBytes, 0, 4);
    }

    public void update(byte[] data, int offset, int length) {
        crc.update(data, offset, length);
    }

    /** The checksum of everything so far, as an unsigned 32-bit value in an int. */
    public int value() {
        return (int) crc.getValue();
    }
}

package dev.jwal.core.engine.segment;

import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes after a segment's last valid record. They should be zeros (preallocated space), but a
 * torn write can leave non-zero bytes behind the zero length field that ended the log; appending
 * over some of them but not all would later read back as corruption, so they are zeroed before
 * the segment is appended to (etcd's {@code ZeroToEnd}).
 *
 * <p>etcd truncates and re-allocates the tail. Here the tail is read and only chunks that hold
 * something other than zeros are rewritten: after a clean shutdown that is none, so opening a
 * 64 MB segment costs a read of its tail, not a 64 MB write, and the blocks stay allocated.
 */
public final class SegmentTail {

    private static final int CHUNK_BYTES = 1 << 20;

    private SegmentTail() {
    }

    /** Makes every byte from {@code offset} to the end of the file zero. */
    public static void zeroFrom(DiskFile file, long offset) throws IOException {
        long size = file.size();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
        for (long at = offset; at < size; ) {
            chunk.clear().limit((int) Math.min(CHUNK_BYTES, size - at));
            int read = 0;
            while (chunk.hasRemaining()) {
                int n = file.read(chunk, at + read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            if (read == 0) {
                return;
            }
            if (!allZeros(chunk.array(), read)) {
                file.write(ByteBuffer.allocate(read), at);
            }
            at += read;
        }
    }

    private static boolean allZeros(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}

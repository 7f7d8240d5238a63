package dev.jwal.core.engine.segment;

import dev.jwal.core.WalIoException;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A window onto one file's bytes, in a buffer reused from read to read and filled by positional
 * reads: what the decoder and the look past damage read frames through. A read error names the
 * file and the offset of the read.
 */
final class FileWindow {

    private byte[] buffer;
    private long start;
    private int length;
    private DiskFile file;
    private Path path;

    FileWindow(int bytes) {
        this.buffer = new byte[bytes];
    }

    /** Looks at another file from now on; nothing of the last one stays in the window. */
    void reset(DiskFile file, Path path) {
        this.file = file;
        this.path = path;
        this.length = 0;
    }

    /** The buffer; bytes of the file at {@code position} are at {@link #index}. */
    byte[] buffer() {
        return buffer;
    }

    /** Where the file's byte at {@code position} is in {@link #buffer()}, once filled. */
    int index(long position) {
        return (int) (position - start);
    }

    /**
     * Makes bytes {@code [position, position + wanted)} available; returns how many are (fewer
     * at the end of the file). {@code wanted} is bounded by the caller: by the record limit and
     * the file's size. A read may bring in more, up to the buffer, for the next call.
     */
    int fill(long position, int wanted) {
        if (position >= start && position + wanted <= start + length) {
            return wanted;
        }
        if (wanted > buffer.length) {
            buffer = new byte[wanted];
        }
        ByteBuffer target = ByteBuffer.wrap(buffer);
        try {
            while (target.position() < wanted) {
                if (file.read(target, position + target.position()) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new WalIoException("reading", path, position, e);
        }
        start = position;
        length = target.position();
        return Math.min(wanted, length);
    }

    /** The little-endian 8-byte word at {@code position}, which must be in the window: a length field. */
    long longAt(long position) {
        int at = index(position);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (buffer[at + i] & 0xFF);
        }
        return value;
    }
}

package dev.jwal.core.engine.segment;

import dev.jwal.core.WalListener;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Buffers writes to a segment so that they reach the file in whole 4 KiB pages, except when
 * flushed: 8 sectors of 512 bytes, so that a torn write can be told from corruption. The policy is
 * etcd's page writer's, to the byte: a 128 KiB watermark, the slack page completed before a
 * flush, whole pages of a large write passed through. That matters beyond speed: etcd cuts a
 * segment by the file offset <em>flushed</em> so far, so a writer that flushed on another
 * schedule would cut elsewhere and write other files.
 *
 * <p>A write is given as up to three parts, a head, a body and a run of zeros, so that a record
 * never has to be assembled in a scratch array first. The buffer is a heap array: a record is a
 * few small pieces, which {@code System.arraycopy} copies for little, where a direct buffer's
 * {@code put} paid bounds and scope checks on every piece (a third of the writer's samples with
 * 100 B entries). The JDK copies each flushed run once more into its own direct buffer: one large
 * copy per flush, cheap beside the write it precedes.
 */
public final class PageWriter {

    /** etcd's {@code walPageBytes}. */
    public static final int PAGE_BYTES = 8 * 512;

    /** etcd's page writer's {@code defaultBufferBytes}. */
    public static final int WATERMARK_BYTES = 128 * 1024;

    private final byte[] buffer = new byte[WATERMARK_BYTES + PAGE_BYTES];
    /** The buffer as the file is given it. */
    private final ByteBuffer view = ByteBuffer.wrap(buffer);
    /** Bytes in the buffer not yet handed to the file. */
    private int buffered;
    private final WalListener listener;
    private DiskFile file;
    private long fileOffset;
    private int pageOffset;

    // The parts of the write in progress.
    private byte[] head;
    private int headPos;
    private int headEnd;
    private byte[] body;
    private int bodyPos;
    private int bodyEnd;
    private int zeros;

    public PageWriter(WalListener listener) {
        this.listener = listener;
    }

    /** Starts writing {@code target} at {@code offset}, with an empty buffer. */
    public void reset(DiskFile target, long offset) {
        if (buffered != 0) {
            throw new IllegalStateException("page writer reset with " + buffered + " bytes unflushed");
        }
        this.file = target;
        this.fileOffset = offset;
        this.pageOffset = (int) (offset % PAGE_BYTES);
    }

    /** The file offset up to which bytes have been handed to the file. */
    public long flushedOffset() {
        return fileOffset;
    }

    /** The offset after the last byte written, flushed or not. */
    public long logicalOffset() {
        return fileOffset + buffered;
    }

    /** Writes {@code head[0, headLength)}, then {@code body[bodyOffset, +bodyLength)}, then zeros. */
    public void write(byte[] head, int headLength, byte[] body, int bodyOffset, int bodyLength, int zeros)
            throws IOException {
        this.head = head;
        this.headPos = 0;
        this.headEnd = headLength;
        this.body = body;
        this.bodyPos = bodyOffset;
        this.bodyEnd = bodyOffset + bodyLength;
        this.zeros = zeros;
        long length = remaining();
        if (length + buffered <= WATERMARK_BYTES) {
            copy(length);
            return;
        }
        int slack = PAGE_BYTES - (pageOffset + buffered) % PAGE_BYTES;
        if (slack != PAGE_BYTES) {
            if (slack > length) {
                // Not enough to complete the page: keep it buffered rather than flush unaligned.
                copy(length);
                return;
            }
            copy(slack);
            length -= slack;
        }
        flush();
        if (length > PAGE_BYTES) {
            long pages = length / PAGE_BYTES * PAGE_BYTES;
            writeThrough(pages);
            length -= pages;
        }
        copy(length);
    }

    /** Hands every buffered byte to the file. */
    public void flush() throws IOException {
        if (buffered == 0) {
            return;
        }
        pageOffset = (pageOffset + buffered) % PAGE_BYTES;
        writeBuffer();
    }

    private long remaining() {
        return (long) (headEnd - headPos) + (bodyEnd - bodyPos) + zeros;
    }

    /** Passes whole pages through to the file, staged through the (empty) buffer. */
    private void writeThrough(long length) throws IOException {
        while (length > 0) {
            int chunk = (int) Math.min(length, WATERMARK_BYTES);
            copy(chunk);
            writeBuffer();
            length -= chunk;
        }
    }

    /** Hands the buffer's bytes to the file and empties it. */
    private void writeBuffer() throws IOException {
        int bytes = buffered;
        view.clear().limit(bytes);
        long start = System.nanoTime();
        file.write(view, fileOffset);
        listener.written(bytes, System.nanoTime() - start);
        fileOffset += bytes;
        buffered = 0;
    }

    /** Copies the next {@code length} bytes of the parts into the buffer. */
    private void copy(long length) {
        int n = (int) length;
        int fromHead = Math.min(n, headEnd - headPos);
        if (fromHead > 0) {
            System.arraycopy(head, headPos, buffer, buffered, fromHead);
            buffered += fromHead;
            headPos += fromHead;
            n -= fromHead;
        }
        int fromBody = Math.min(n, bodyEnd - bodyPos);
        if (fromBody > 0) {
            System.arraycopy(body, bodyPos, buffer, buffered, fromBody);
            buffered += fromBody;
            bodyPos += fromBody;
            n -= fromBody;
        }
        if (n > 0) {
            // the buffer is reused, so its bytes here are an earlier write's
            Arrays.fill(buffer, buffered, buffered + n, (byte) 0);
            buffered += n;
            zeros -= n;
        }
    }
}

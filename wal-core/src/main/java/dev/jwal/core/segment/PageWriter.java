package dev.jwal.core.segment;

import dev.jwal.core.WalListener;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Buffers writes to a segment so that they reach the file in whole 4 KiB pages, except when
 * flushed: 8 sectors of 512 bytes, so that a torn write can be told from corruption. The policy is
 * etcd's page writer's, to the byte: a 128 KiB watermark, the slack page completed before a
 * flush, whole pages of a large write passed through. That matters beyond speed: etcd cuts a
 * segment by the file offset <em>flushed</em> so far, so a writer that flushed on another
 * schedule would cut elsewhere and write other files.
 *
 * <p>The buffer is direct, so a write costs one copy (into the buffer) and no hidden copy by the
 * JDK. A write is given as up to three parts, a head, a body and a run of zeros, so that a record
 * never has to be assembled in a scratch array first.
 */
public final class PageWriter {

    /** etcd's {@code walPageBytes}. */
    public static final int PAGE_BYTES = 8 * 512;

    /** etcd's page writer's {@code defaultBufferBytes}. */
    public static final int WATERMARK_BYTES = 128 * 1024;

    private static final byte[] ZEROS = new byte[8];

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(WATERMARK_BYTES + PAGE_BYTES);
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
        if (buffer.position() != 0) {
            throw new IllegalStateException("page writer reset with " + buffer.position() + " bytes unflushed");
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
        return fileOffset + buffer.position();
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
        if (length + buffer.position() <= WATERMARK_BYTES) {
            copy(length);
            return;
        }
        int slack = PAGE_BYTES - (pageOffset + buffer.position()) % PAGE_BYTES;
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
        int buffered = buffer.position();
        if (buffered == 0) {
            return;
        }
        buffer.flip();
        writeBuffer();
        buffer.clear();
        pageOffset = (pageOffset + buffered) % PAGE_BYTES;
    }

    private long remaining() {
        return (long) (headEnd - headPos) + (bodyEnd - bodyPos) + zeros;
    }

    /** Passes whole pages through to the file, staged through the (empty) buffer. */
    private void writeThrough(long length) throws IOException {
        while (length > 0) {
            int chunk = (int) Math.min(length, WATERMARK_BYTES);
            copy(chunk);
            buffer.flip();
            writeBuffer();
            buffer.clear();
            length -= chunk;
        }
    }

    private void writeBuffer() throws IOException {
        int bytes = buffer.remaining();
        long start = System.nanoTime();
        file.write(buffer, fileOffset);
        listener.written(bytes, System.nanoTime() - start);
        fileOffset += bytes;
    }

    /** Copies the next {@code length} bytes of the parts into the buffer. */
    private void copy(long length) {
        int n = (int) length;
        int fromHead = Math.min(n, headEnd - headPos);
        if (fromHead > 0) {
            buffer.put(head, headPos, fromHead);
            headPos += fromHead;
            n -= fromHead;
        }
        int fromBody = Math.min(n, bodyEnd - bodyPos);
        if (fromBody > 0) {
            buffer.put(body, bodyPos, fromBody);
            bodyPos += fromBody;
            n -= fromBody;
        }
        while (n > 0) {
            int run = Math.min(n, ZEROS.length);
            buffer.put(ZEROS, 0, run);
            zeros -= run;
            n -= run;
        }
    }
}

package dev.jwal.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A zero-filled 64 MiB file taking 4 KiB writes one after another, each made durable with
 * fdatasync, wrapping round at the end: the most saves/s any fsync-per-save log can reach on its
 * disk, with no log in it. Not thread-safe.
 */
final class SyncedPages implements AutoCloseable {

    static final long FILE_BYTES = 64L << 20;

    private final FileChannel channel;
    private final ByteBuffer page = ByteBuffer.allocateDirect(4096);
    private long offset;

    /** Creates {@code file}, fills it with zeros and syncs it, so that later syncs change no metadata. */
    SyncedPages(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long at = 0; at < FILE_BYTES; at += zeros.capacity()) {
            zeros.clear();
            channel.write(zeros, at);
        }
        channel.force(true);
    }

    /** Writes the next 4 KiB and fdatasyncs. */
    void writeAndSync() throws IOException {
        if (offset + page.capacity() > FILE_BYTES) {
            offset = 0;
        }
        page.clear();
        channel.write(page, offset);
        offset += page.capacity();
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

package dev.jwal.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * File channels whose writes, fdatasyncs and truncations run on the calling thread and that no
 * interrupt can close.
 *
 * <p>A {@code FileChannel} is an interruptible channel: interrupting a thread inside its I/O, or
 * starting I/O with the flag set, closes it, and with it the segment's lock and the WAL. So jwal
 * once did all its writing on a private thread, and every save paid two thread hand-offs. An
 * {@link AsynchronousFileChannel} is not an interruptible channel: it only refuses I/O once it is
 * closed. Opened with an executor that runs each task at once on the submitting thread, its
 * positional write is a plain {@code pwrite} on that thread and its {@code force(false)} a plain
 * {@code fdatasync}, so whichever thread writes (the log writer, or a caller that found it idle)
 * can be interrupted at any moment without harm. This is the public API of every JDK since 7; no
 * native access is needed.
 */
final class CallerRunsChannels {

    /** Runs each task at once on the thread that submits it; nothing to shut down. */
    private static final class CallerRuns extends AbstractExecutorService {
        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
            // owns no thread
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    }

    private static final CallerRuns CALLER_RUNS = new CallerRuns();

    private CallerRunsChannels() {
    }

    /** Opens {@code file} with {@code options}; {@code attributes} apply when it is created. */
    static AsynchronousFileChannel open(Path file, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        return AsynchronousFileChannel.open(file, options, CALLER_RUNS, attributes);
    }

    /** Writes all of {@code src} at {@code position}, on this thread. */
    static void writeFully(AsynchronousFileChannel channel, ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += written(channel, src, at);
        }
    }

    private static int written(AsynchronousFileChannel channel, ByteBuffer src, long position) throws IOException {
        try {
            // Already complete: the write ran inside this call, so get() neither waits nor looks at
            // the interrupt flag.
            return channel.write(src, position).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("writing at offset " + position + " failed", e.getCause());
        } catch (InterruptedException e) {
            // Unreachable for a complete future; kept honest rather than swallowed.
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing at offset " + position, e);
        }
    }

    /** fsyncs a directory on this thread, so that an interrupted caller cannot fail a cut. */
    static void syncDirectory(Path directory) throws IOException {
        try (AsynchronousFileChannel dir = open(directory, Set.of(StandardOpenOption.READ))) {
            dir.force(true);
        }
    }
}

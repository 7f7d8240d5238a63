package dev.jwal.jgroups.raft;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a small file so that a crash leaves either the old content or the new, never a mix:
 * the new content goes to a temporary file beside it, is fsync'd, renamed over the old one, and
 * the directory is fsync'd so that the rename itself survives a power cut.
 *
 * <p>The content is written with a {@link FileOutputStream}, which an interrupt does not close, so
 * a raft thread that is interrupted meanwhile still stores the file whole.
 */
final class AtomicFile {

    private AtomicFile() {
    }

    /** Stores {@code content} as {@code target}, durably. */
    static void write(Path target, byte[] content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = directory.resolve(target.getFileName() + ".tmp");
        try (FileOutputStream out = new FileOutputStream(temporary.toFile())) {
            out.write(content);
            out.getFD().sync();
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(directory);
    }

    /** Removes a temporary file a crash may have left beside {@code target}. */
    static void removeLeftover(Path target) throws IOException {
        Files.deleteIfExists(target.toAbsolutePath().getParent().resolve(target.getFileName() + ".tmp"));
    }

    /**
     * Fsyncs a directory. A channel is the only way Java offers, and an interrupt closes it; that
     * close comes from Java, before or instead of the kernel's fsync, so the fsync is simply asked
     * again on a fresh channel, with the caller's interrupt flag set again afterwards.
     */
    static void syncDirectory(Path directory) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                    channel.force(true);
                    return;
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

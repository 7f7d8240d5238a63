package dev.jwal.spring.boot.actuate;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The number and total size of the segment files in a WAL directory, read when asked. */
final class WalDiskUsage {

    /** What one reading found; {@code -1}s when the directory could not be read. */
    record Reading(long segments, long bytes) {
    }

    private final Path directory;

    WalDiskUsage(Path directory) {
        this.directory = directory;
    }

    Reading read() {
        long segments = 0;
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.wal")) {
            for (Path file : files) {
                segments++;
                bytes += Files.size(file);
            }
            return new Reading(segments, bytes);
        } catch (IOException e) {
            // A segment purged between the listing and its size, or the directory unreadable: a
            // gauge cannot throw, so the reading says "unknown".
            return new Reading(-1, -1);
        }
    }
}

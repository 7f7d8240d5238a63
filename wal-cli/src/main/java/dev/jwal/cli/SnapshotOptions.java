package dev.jwal.cli;

import dev.jwal.core.NoWalFilesException;
import dev.jwal.core.Wal;
import dev.jwal.core.WalCorruptionException;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalException;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.inspect.SegmentFile;
import dev.jwal.core.inspect.WalInspector;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The snapshot to read from, as a restarting node opens its WAL at one. Without
 * {@code --snap-index}: for {@code dump}, index 0 while the directory still holds the first
 * segment, else (after a purge) the oldest snapshot marker that its oldest segment can be read
 * from; for {@code verify}, the newest valid snapshot marker, where a restarting node opens. Without
 * {@code --snap-term}: the term of the marker at that index.
 */
final class SnapshotOptions {

    @Option(names = "--snap-index", paramLabel = "INDEX",
            description = "Start at the snapshot of this index, as ReadAll would (default: for verify the newest"
                    + " valid snapshot marker, where a restarting node opens; for dump 0, or after a purge the oldest"
                    + " snapshot marker the directory still holds).")
    Long index;

    @Option(names = "--snap-term", paramLabel = "TERM",
            description = "The term of that snapshot (default: the marker's term, 0 for index 0).")
    Long term;

    /**
     * The snapshot to read at in {@code directory}: the one asked for, or the default above.
     *
     * @throws NoWalFilesException naming the snapshots the directory holds, when no segment holds
     *     the one asked for (it was purged) or there is no default to take
     */
    WalSnapshot resolve(Path directory, WalInspector inspector, WalOptions options) {
        List<SegmentFile> segments = inspector.segmentFiles(directory);
        if (segments.isEmpty()) {
            return new WalSnapshot(index == null ? 0 : index, term == null ? 0 : term, null);
        }
        long oldest = segments.get(0).firstIndex();
        if (index != null) {
            if (Long.compareUnsigned(index, oldest) < 0) {
                throw new NoWalFilesException(directory.toAbsolutePath(), "no segment holds index "
                        + Long.toUnsignedString(index) + " any more: the oldest, " + segments.get(0).name()
                        + ", starts at index " + Long.toUnsignedString(oldest) + "; " + held(directory, options, oldest));
            }
            return new WalSnapshot(index, term == null ? termOfMarker(directory, options, index) : term, null);
        }
        if (oldest == 0) {
            return new WalSnapshot(0, term == null ? 0 : term, null);
        }
        return readable(directory, options, oldest).stream().findFirst()
                .orElseThrow(() -> new NoWalFilesException(directory.toAbsolutePath(), "no segment starts at index 0"
                        + " (the oldest, " + segments.get(0).name() + ", starts at "
                        + Long.toUnsignedString(oldest) + ") and the directory holds no snapshot marker to read"
                        + " from; give --snap-index and --snap-term"));
    }

    /**
     * The snapshot a restarting node opens its WAL at: the one asked for, or else the newest valid
     * snapshot marker the directory holds, as {@code WalStartup} chooses.
     */
    WalSnapshot resolveAsStartup(Path directory, WalInspector inspector, WalOptions options) {
        List<SegmentFile> segments = inspector.segmentFiles(directory);
        if (index != null || segments.isEmpty()) {
            return resolve(directory, inspector, options);
        }
        List<WalSnapshot> valid = readable(directory, options, segments.get(0).firstIndex());
        return valid.isEmpty() ? resolve(directory, inspector, options) : valid.get(valid.size() - 1);
    }

    /** The term of the snapshot marker at {@code at}, as {@code --snap-term}'s help says; 0 when none is found. */
    private static long termOfMarker(Path directory, WalOptions options, long at) {
        if (at == 0) {
            return 0;
        }
        try {
            return WalDirectory.validSnapshotEntries(directory, options).stream().filter(s -> s.index() == at)
                    .mapToLong(WalSnapshot::term).reduce((first, second) -> second).orElse(0);
        } catch (WalException e) {
            // the verdict will say what is wrong with the directory; no marker's term can be read
            return 0;
        }
    }

    /** The snapshot markers that can be read from, given the oldest segment's first index. */
    private static List<WalSnapshot> readable(Path directory, WalOptions options, long oldest) {
        return WalDirectory.validSnapshotEntries(directory, options).stream()
                .filter(s -> Long.compareUnsigned(s.index(), oldest) >= 0).toList();
    }

    private static String held(Path directory, WalOptions options, long oldest) {
        List<WalSnapshot> held;
        try {
            held = readable(directory, options, oldest);
        } catch (WalCorruptionException e) {
            return "the snapshot markers it holds cannot be listed: " + e.getMessage();
        }
        return held.isEmpty() ? "it holds no snapshot marker to read from"
                : "snapshots it holds (--snap-index/--snap-term): " + held.stream()
                        .map(s -> Long.toUnsignedString(s.index()) + "/" + Long.toUnsignedString(s.term()))
                        .collect(Collectors.joining(", "));
    }
}

package dev.jwal.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How a restarting node opens its WAL directory, written once for every API: create the WAL when
 * the directory holds none; else open it at the snapshot chosen among
 * {@link WalDirectory#validSnapshotEntries}, replay it into a handler, and, when allowed, repair a
 * torn tail once and replay again, handing each entry over once all the same.
 *
 * <pre>{@code
 * WalStartup.Started started = WalStartup.in(dir, options).metadata(nodeId).repairTornTail(true)
 *         .start(handler);
 * Wal wal = started.wal();      // read, ready to append
 * }</pre>
 *
 * <p>Only a torn tail is ever cut ({@link UnexpectedEofException#isTornTail()}), and only with
 * {@link #repairTornTail(boolean)}; anything else found wrong is thrown as found, the WAL closed.
 * Instances are immutable: each setter returns a copy.
 */
public final class WalStartup {

    /** Receives what startup reads: where it begins, then every entry, as {@link Wal#replay} hands them over. */
    public interface Handler extends WalReplayHandler {

        /**
         * Before any entry, once: whether the directory held no WAL and one was created, and the
         * snapshot the WAL is opened at (the application's own snapshot must reach its index).
         */
        default void begin(boolean created, WalSnapshot openedAt) {
        }
    }

    /**
     * A WAL started: read, and ready to append.
     *
     * @param wal the WAL; the caller closes it
     * @param created whether the directory held no WAL and this one was created
     * @param snapshot the snapshot it was opened at ({@link WalSnapshot#ZERO} when created)
     * @param replay what the replay found besides the entries (for a created WAL: its metadata, nothing else)
     * @param repair what was cut off a torn tail before the final replay, when anything was
     */
    public record Started(Wal wal, boolean created, WalSnapshot snapshot, WalReplay replay,
            Optional<RepairResult> repair) {
    }

    private final Path directory;
    private final WalOptions options;
    private final byte[] metadata;
    private final boolean repairTornTail;
    private final Consumer<RepairResult> onRepair;
    private final Function<List<WalSnapshot>, WalSnapshot> snapshotChoice;

    private WalStartup(Path directory, WalOptions options, byte[] metadata, boolean repairTornTail,
            Consumer<RepairResult> onRepair, Function<List<WalSnapshot>, WalSnapshot> snapshotChoice) {
        this.directory = directory;
        this.options = options;
        this.metadata = metadata;
        this.repairTornTail = repairTornTail;
        this.onRepair = onRepair;
        this.snapshotChoice = snapshotChoice;
    }

    /** Startup of the WAL in {@code directory}: no metadata, no repair, the newest valid snapshot. */
    public static WalStartup in(Path directory, WalOptions options) {
        return new WalStartup(Objects.requireNonNull(directory, "directory"), Objects.requireNonNull(options, "options"),
                null, false, repair -> {
                }, WalStartup::newest);
    }

    /** The metadata a created WAL is given ({@link Wal#create}); null (the default) for none. */
    public WalStartup metadata(byte[] metadata) {
        return new WalStartup(directory, options, metadata == null ? null : metadata.clone(), repairTornTail, onRepair,
                snapshotChoice);
    }

    /** Whether a torn last record is cut ({@link WalDirectory#repair}) and the WAL opened again. */
    public WalStartup repairTornTail(boolean repair) {
        return new WalStartup(directory, options, metadata, repair, onRepair, snapshotChoice);
    }

    /** Told what a repair cut, before the WAL is opened again. */
    public WalStartup onRepair(Consumer<RepairResult> onRepair) {
        return new WalStartup(directory, options, metadata, repairTornTail, Objects.requireNonNull(onRepair, "onRepair"),
                snapshotChoice);
    }

    /**
     * Which of the valid snapshots (oldest first, {@link WalSnapshot#ZERO} among them) to open at;
     * the newest by default.
     */
    public WalStartup snapshot(Function<List<WalSnapshot>, WalSnapshot> choice) {
        return new WalStartup(directory, options, metadata, repairTornTail, onRepair,
                Objects.requireNonNull(choice, "choice"));
    }

    /** The directory this starts. */
    public Path directory() {
        return directory;
    }

    /** The options the WAL is created or opened with. */
    public WalOptions options() {
        return options;
    }

    /** Creates the WAL when the directory holds none, else {@link #openExisting opens} it. */
    public Started start(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (WalDirectory.exists(directory, options)) {
            return openExisting(handler);
        }
        Wal wal = Wal.create(directory, metadata, options);
        try {
            handler.begin(true, WalSnapshot.ZERO);
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
        return new Started(wal, true, WalSnapshot.ZERO, new WalReplay(metadata, HardState.EMPTY, 0, 0, Optional.empty()),
                Optional.empty());
    }

    /**
     * Opens the WAL the directory holds at the chosen snapshot and replays it into {@code handler};
     * a torn tail, when {@link #repairTornTail} allows, is cut once and the WAL replayed again.
     *
     * @throws NoWalFilesException when the directory holds no WAL
     */
    public Started openExisting(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        // A handler that needs no entries of the sealed segments a checkpoint vouches for has their
        // markers from it too; any other reads every segment, as etcd's ValidSnapshotEntries.
        List<WalSnapshot> valid = dev.jwal.core.engine.WalVerifier.validSnapshotEntries(directory, options,
                handler.entriesFrom() != 0);
        WalSnapshot at = Objects.requireNonNull(snapshotChoice.apply(valid), "the chosen snapshot");
        EachOnce once = new EachOnce(handler);
        try {
            return replay(at, once, Optional.empty());
        } catch (UnexpectedEofException torn) {
            // etcd's kind, but not always a torn tail (readable records after the damage, a short
            // middle segment): only a torn tail may be cut.
            if (!repairTornTail || !torn.isTornTail()) {
                throw torn;
            }
            RepairResult repair = WalDirectory.repair(directory, options);
            onRepair.accept(repair);
            once.replayAgain();
            return replay(at, once, Optional.of(repair));
        }
    }

    private Started replay(WalSnapshot at, EachOnce handler, Optional<RepairResult> repair) {
        Wal wal = Wal.open(directory, at, options);
        try {
            handler.begin(false, at);
            return new Started(wal, false, at, wal.replay(handler), repair);
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
    }

    private static WalSnapshot newest(List<WalSnapshot> valid) {
        return valid.isEmpty() ? WalSnapshot.ZERO : valid.get(valid.size() - 1);
    }

    /**
     * Hands each callback over once across a repair: a repair cuts only what follows the last
     * intact record, so the second replay repeats the first one's callbacks, which are counted and
     * passed over.
     */
    private static final class EachOnce implements Handler {
        private final Handler handler;
        private long delivered;
        private long toSkip;
        private boolean begun;
        private boolean metadataSeen;

        EachOnce(Handler handler) {
            this.handler = handler;
        }

        void replayAgain() {
            toSkip = delivered;
            delivered = 0;
        }

        @Override
        public void begin(boolean created, WalSnapshot openedAt) {
            if (!begun) {
                begun = true;
                handler.begin(created, openedAt);
            }
        }

        @Override
        public void entry(Entry entry) {
            if (!skipped()) {
                handler.entry(entry);
            }
        }

        @Override
        public void truncated(long index) {
            if (!skipped()) {
                handler.truncated(index);
            }
        }

        @Override
        public long entriesFrom() {
            // the same for both replays, so that the second skips the same segments and repeats
            // the first one's callbacks exactly
            return handler.entriesFrom();
        }

        @Override
        public void metadata(byte[] metadata) {
            if (!metadataSeen) {
                metadataSeen = true;
                handler.metadata(metadata);
            }
        }

        private boolean skipped() {
            delivered++;
            if (toSkip > 0) {
                toSkip--;
                return true;
            }
            return false;
        }
    }
}

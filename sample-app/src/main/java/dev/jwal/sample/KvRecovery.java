package dev.jwal.sample;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwal.core.Entry;
import dev.jwal.core.EntryType;
import dev.jwal.core.Wal;
import dev.jwal.core.WalSnapshot;
import dev.jwal.sample.command.KvCommand;
import dev.jwal.spring.boot.WalRecoveryEnd;
import dev.jwal.spring.boot.WalRecoveryHandler;
import dev.jwal.spring.boot.WalRecoveryStart;
import dev.jwal.spring.boot.WalSnapshotSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the store at startup, as an etcd server does: the newest snapshot file that the WAL
 * has a valid record of is loaded, the WAL is opened at it, and the entries after it are applied.
 * A newer snapshot file the WAL never recorded (a crash between writing it and recording it) is
 * passed over; it is retired by the retention of later snapshots.
 */
public class KvRecovery implements WalSnapshotSelector, WalRecoveryHandler {

    private static final Logger log = LoggerFactory.getLogger(KvRecovery.class);

    private final SnapshotFiles snapshots;
    private final KvState state;
    private KvSnapshot loaded;
    private Path directory;
    private long snapshotIndex;
    private long entries;

    public KvRecovery(SnapshotFiles snapshots, KvState state) {
        this.snapshots = snapshots;
        this.state = state;
    }

    @Override
    public WalSnapshot select(List<WalSnapshot> validSnapshots) {
        try {
            snapshots.removeTemporaryFiles();
            loaded = snapshots.loadNewest(candidate -> recordOf(validSnapshots, candidate).isPresent()).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("reading snapshots in " + snapshots.directory(), e);
        }
        // The WAL compares the conf state too: hand back its own record of this snapshot.
        return loaded == null ? WalSnapshot.ZERO : recordOf(validSnapshots, loaded.marker()).orElseThrow();
    }

    /** The WAL's record of a snapshot file's index and term, if it has one. */
    private static Optional<WalSnapshot> recordOf(List<WalSnapshot> validSnapshots, WalSnapshot file) {
        return validSnapshots.stream().filter(v -> v.index() == file.index() && v.term() == file.term())
                .reduce((first, second) -> second);
    }

    @Override
    public void begin(WalRecoveryStart start) {
        directory = start.directory();
        snapshotIndex = start.snapshot().index();
        entries = 0;
        if (snapshotIndex == 0) {
            state.restore(new KvSnapshot(0, 0, new TreeMap<>()));
        } else if (loaded != null && loaded.index() == snapshotIndex) {
            state.restore(loaded);
        } else {
            throw new IllegalStateException("the WAL in " + start.directory() + " was opened at snapshot "
                    + snapshotIndex + ", but no snapshot file of that index was loaded from " + snapshots.directory());
        }
        loaded = null;
    }

    /** Applies each entry as the WAL hands it over: the log is never held in the heap whole. */
    @Override
    public void entry(Entry entry) {
        entries++;
        if (entry.type() == EntryType.NORMAL && entry.data().length > 0) {
            state.apply(entry.index(), decode(entry));
        }
    }

    /**
     * This service appends every command after the last one, so its log is never overwritten; an
     * overwrite means another program wrote to the WAL, and what was applied cannot be taken back.
     */
    @Override
    public void truncated(long index) {
        throw new IllegalStateException("the WAL in " + directory + " overwrites its log from index " + index
                + ", which this service never does: it was written by another program");
    }

    @Override
    public void end(WalRecoveryEnd end) {
        state.advanceTo(end.lastIndex());
        if (snapshotIndex == 0 && end.lastIndex() == 0 && entries == 0) {
            log.info("Starting with an empty WAL in {}", directory);
        } else {
            log.info("Recovered {} keys from {} at snapshot {} plus {} entries (last index {})", state.size(),
                    directory, snapshotIndex, entries, end.lastIndex());
        }
    }

    /**
     * Fails when the WAL directory holds no WAL but snapshots exist: the WAL was removed or moved,
     * and starting empty would silently drop the data those snapshots hold, while appending from
     * index 1 would contradict them. Called before the WAL is created, so that nothing is written.
     */
    public void refuseSnapshotsWithoutWal(Path walDirectory) {
        if (Wal.exists(walDirectory)) {
            return;
        }
        List<Path> existing;
        try {
            existing = snapshots.list();
        } catch (IOException e) {
            throw new UncheckedIOException("listing snapshots in " + snapshots.directory(), e);
        }
        if (!existing.isEmpty()) {
            throw new SnapshotsWithoutWalException(walDirectory, snapshots.directory(), existing.size());
        }
    }

    private static KvCommand decode(Entry entry) {
        try {
            return KvCommand.parseFrom(entry.data());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("WAL entry " + entry.index() + " does not hold a key-value command", e);
        }
    }
}

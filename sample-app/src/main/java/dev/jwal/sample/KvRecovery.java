package dev.jwal.sample;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.log.LogRecord;
import dev.jwal.sample.command.KvCommand;
import dev.jwal.spring.boot.autoconfigure.WalLogRecoveryHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the store at startup: the log opens at its newest compaction point, the snapshot file
 * of that index is loaded, and the records after it are applied as the starter streams them. A
 * newer snapshot file the log was never compacted to (a crash between writing it and compacting)
 * is passed over; it is retired by the retention of later snapshots.
 */
public class KvRecovery implements WalLogRecoveryHandler {

    private static final Logger log = LoggerFactory.getLogger(KvRecovery.class);

    private final SnapshotFiles snapshots;
    private final KvState state;
    private final Path walDirectory;
    private long compactedThrough;
    private long records;

    public KvRecovery(SnapshotFiles snapshots, KvState state, Path walDirectory) {
        this.snapshots = snapshots;
        this.state = state;
        this.walDirectory = walDirectory;
    }

    @Override
    public void begin(long compactedThrough) {
        this.compactedThrough = compactedThrough;
        records = 0;
        if (compactedThrough == 0) {
            state.restore(new KvSnapshot(0, 0, new TreeMap<>()));
            return;
        }
        KvSnapshot loaded;
        try {
            snapshots.removeTemporaryFiles();
            loaded = snapshots.loadNewest(candidate -> candidate.index() == compactedThrough).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("reading snapshots in " + snapshots.directory(), e);
        }
        if (loaded == null) {
            throw new IllegalStateException("the log in " + walDirectory + " is compacted through index "
                    + compactedThrough + ", but " + snapshots.directory() + " holds no readable snapshot of that index");
        }
        state.restore(loaded);
    }

    /** Applies each record as the starter hands it over: the log is never held in the heap whole. */
    @Override
    public void record(LogRecord record) {
        records++;
        state.apply(record.index(), decode(record));
    }

    @Override
    public void end(long lastIndex) {
        state.advanceTo(lastIndex);
        if (compactedThrough == 0 && lastIndex == 0) {
            log.info("Starting with an empty log in {}", walDirectory);
        } else {
            log.info("Recovered {} keys from {} at compaction point {} plus {} records (last index {})", state.size(),
                    walDirectory, compactedThrough, records, lastIndex);
        }
    }

    /**
     * Fails when the WAL directory holds no WAL but snapshots exist: the WAL was removed or moved,
     * and starting empty would silently drop the data those snapshots hold, while appending from
     * index 1 would contradict them. Called before the log is created, so that nothing is written.
     */
    public void refuseSnapshotsWithoutWal() {
        if (WalDirectory.exists(walDirectory)) {
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

    private static KvCommand decode(LogRecord record) {
        try {
            return KvCommand.parseFrom(record.data());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("log record " + record.index() + " does not hold a key-value command", e);
        }
    }
}

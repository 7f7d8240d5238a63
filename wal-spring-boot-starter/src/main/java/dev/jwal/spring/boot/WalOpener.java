package dev.jwal.spring.boot;

import dev.jwal.core.RepairResult;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.Wal;
import dev.jwal.core.WalContents;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Startup: creates the WAL when the directory holds none, else opens it at the chosen snapshot and
 * replays it (repairing a torn tail once, when allowed), then hands the recovery to the handlers.
 */
final class WalOpener {

    private static final Log logger = LogFactory.getLog(WalOpener.class);

    private final Path directory;
    private final WalOptions options;
    private final byte[] metadata;
    private final boolean repairTornTail;
    private final WalSnapshotSelector selector;

    WalOpener(Path directory, WalOptions options, byte[] metadata, boolean repairTornTail,
            WalSnapshotSelector selector) {
        this.directory = directory;
        this.options = options;
        this.metadata = metadata;
        this.repairTornTail = repairTornTail;
        this.selector = selector;
    }

    Wal open(List<WalRecoveryHandler> handlers) {
        if (!Wal.exists(directory, options)) {
            Wal wal = Wal.create(directory, metadata, options);
            logger.info("Created WAL in " + directory);
            return handOver(wal, new WalRecovery(wal.directory(), true, WalSnapshot.ZERO, metadata,
                    dev.jwal.core.HardState.EMPTY, List.of(), Optional.empty()), handlers);
        }
        WalSnapshot snapshot = selector.select(Wal.validSnapshotEntries(directory, options));
        Wal wal = Wal.open(directory, snapshot, options);
        Optional<RepairResult> repair = Optional.empty();
        WalContents contents;
        try {
            contents = wal.readAll();
        } catch (UnexpectedEofException torn) {
            wal.close();
            if (!repairTornTail) {
                throw torn;
            }
            repair = Optional.of(Wal.repair(directory, options));
            logger.warn("Repaired the torn tail of the WAL in " + directory + ": " + repair.get());
            wal = Wal.open(directory, snapshot, options);
            contents = readAllOrClose(wal);
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
        checkMetadata(wal, contents.metadata());
        logger.info("Opened WAL in " + directory + " at snapshot " + snapshot.index() + ": "
                + contents.entries().size() + " entries replayed");
        return handOver(wal, new WalRecovery(wal.directory(), false, snapshot, contents.metadata(),
                contents.hardState(), contents.entries(), repair), handlers);
    }

    private static WalContents readAllOrClose(Wal wal) {
        try {
            return wal.readAll();
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
    }

    private void checkMetadata(Wal wal, byte[] found) {
        byte[] held = found == null ? new byte[0] : found;
        if (metadata != null && !Arrays.equals(metadata, held)) {
            wal.close();
            throw new WalMetadataMismatchException(wal.directory(), new String(metadata, StandardCharsets.UTF_8),
                    new String(held, StandardCharsets.UTF_8));
        }
    }

    private static Wal handOver(Wal wal, WalRecovery recovery, List<WalRecoveryHandler> handlers) {
        try {
            for (WalRecoveryHandler handler : handlers) {
                handler.recover(recovery);
            }
            return wal;
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
    }
}

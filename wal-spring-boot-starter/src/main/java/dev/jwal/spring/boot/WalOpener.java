package dev.jwal.spring.boot;

import dev.jwal.core.HardState;
import dev.jwal.core.RepairResult;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalReplay;
import dev.jwal.core.WalSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Startup: creates the WAL when the directory holds none, else opens it at the chosen snapshot and
 * replays it into the recovery handlers one entry at a time (repairing a torn tail once, when
 * allowed), in bounded memory whatever the log's size.
 */
final class WalOpener {

    private static final Log logger = LogFactory.getLog(WalOpener.class);

    private final Path directory;
    private final WalOptions options;
    private final byte[] metadata;
    private final boolean repairTornTail;
    private final WalSnapshotSelector selector;
    private final Consumer<RepairResult> onRepair;

    WalOpener(Path directory, WalOptions options, byte[] metadata, boolean repairTornTail,
            WalSnapshotSelector selector) {
        this(directory, options, metadata, repairTornTail, selector, repair -> {
        });
    }

    /** An opener that also tells {@code onRepair} what a startup repair cut. */
    WalOpener(Path directory, WalOptions options, byte[] metadata, boolean repairTornTail,
            WalSnapshotSelector selector, Consumer<RepairResult> onRepair) {
        this.onRepair = onRepair;
        this.directory = directory;
        this.options = options;
        this.metadata = metadata;
        this.repairTornTail = repairTornTail;
        this.selector = selector;
    }

    Wal open(List<WalRecoveryHandler> handlers) {
        RecoveryFanOut fanOut = new RecoveryFanOut(handlers);
        if (!WalDirectory.exists(directory, options)) {
            Wal wal = Wal.create(directory, metadata, options);
            logger.info("Created WAL in " + directory);
            return closingOnFailure(wal, () -> {
                fanOut.begin(new WalRecoveryStart(wal.directory(), true, WalSnapshot.ZERO));
                fanOut.end(new WalRecoveryEnd(metadata == null ? new byte[0] : metadata, HardState.EMPTY, 0, 0,
                        Optional.empty()));
            });
        }
        WalSnapshot snapshot = selector.select(WalDirectory.validSnapshotEntries(directory, options));
        Wal wal = Wal.open(directory, snapshot, options);
        closingOnFailure(wal, () -> fanOut.begin(new WalRecoveryStart(wal.directory(), false, snapshot)));
        Optional<RepairResult> repair = Optional.empty();
        Wal opened = wal;
        WalReplay replay;
        try {
            replay = opened.replay(fanOut);
        } catch (UnexpectedEofException torn) {
            opened.close();
            // etcd's kind, but not a torn tail (readable records after the damage, a short middle
            // segment): nothing may cut it, so startup stops and the failure analysis says why.
            if (!repairTornTail || !torn.isTornTail()) {
                throw torn;
            }
            repair = Optional.of(WalDirectory.repair(directory, options));
            onRepair.accept(repair.get());
            logger.warn("Repaired the torn tail of the WAL in " + directory + ": " + repair.get());
            opened = Wal.open(directory, snapshot, options);
            fanOut.replayAgain();
            replay = replayOrClose(opened, fanOut);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        Wal recovered = opened;
        WalReplay done = replay;
        Optional<RepairResult> cut = repair;
        closingOnFailure(recovered, () -> {
            checkMetadata(recovered, done.metadata());
            fanOut.end(new WalRecoveryEnd(done.metadata() == null ? new byte[0] : done.metadata(),
                    done.hardState(), Math.max(done.lastIndex(), snapshot.index()), done.entries(), cut));
        });
        logger.info("Opened WAL in " + directory + " at snapshot " + snapshot.index() + ": " + done.entries()
                + " entries replayed");
        return recovered;
    }

    private static WalReplay replayOrClose(Wal wal, RecoveryFanOut fanOut) {
        try {
            return wal.replay(fanOut);
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
    }

    private void checkMetadata(Wal wal, byte[] found) {
        byte[] held = found == null ? new byte[0] : found;
        if (dev.jwal.core.log.WalLog.isApplicationLogMetadata(held)) {
            throw new WalApiMismatchException(wal.directory(), WalApi.LOG, WalApi.RAFT, null);
        }
        if (metadata != null && !Arrays.equals(metadata, held)) {
            throw new WalMetadataMismatchException(wal.directory(), new String(metadata, StandardCharsets.UTF_8),
                    new String(held, StandardCharsets.UTF_8));
        }
    }

    private static Wal closingOnFailure(Wal wal, Runnable step) {
        try {
            step.run();
            return wal;
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
    }
}

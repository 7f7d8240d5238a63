package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.RepairResult;
import dev.jwal.core.Wal;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalReplay;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalStartup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Startup of a raft node's WAL ({@code wal.api=raft}): wal-core's {@link WalStartup} creates it or
 * opens it at the snapshot the selector picks, replaying it into the recovery handlers one entry
 * at a time (repairing a torn tail once, when allowed), in bounded memory whatever the log's size;
 * this adds the handlers' begin and end, and the check of the metadata.
 */
final class WalOpener {

    private static final Log logger = LogFactory.getLog(WalOpener.class);

    private final WalStartup startup;
    private final byte[] metadata;

    WalOpener(Path directory, WalOptions options, byte[] metadata, boolean repairTornTail,
            WalSnapshotSelector selector) {
        this(directory, options, metadata, repairTornTail, selector, repair -> {
        });
    }

    /** An opener that also tells {@code onRepair} what a startup repair cut. */
    WalOpener(Path directory, WalOptions options, byte[] metadata, boolean repairTornTail,
            WalSnapshotSelector selector, Consumer<RepairResult> onRepair) {
        this.metadata = metadata;
        this.startup = WalStartup.in(directory, options).metadata(metadata).repairTornTail(repairTornTail)
                .snapshot(selector::select).onRepair(repair -> {
                    onRepair.accept(repair);
                    logger.warn("Repaired the torn tail of the WAL in " + directory + ": " + repair);
                });
    }

    Wal open(List<WalRecoveryHandler> handlers) {
        RecoveryFanOut fanOut = new RecoveryFanOut(startup.directory(), handlers);
        WalStartup.Started started = startup.start(fanOut);
        Wal wal = started.wal();
        WalReplay replay = started.replay();
        try {
            checkMetadata(wal, replay.metadata());
            fanOut.end(new WalRecoveryEnd(replay.metadata() == null ? new byte[0] : replay.metadata(),
                    replay.hardState(), Math.max(replay.lastIndex(), started.snapshot().index()), replay.entries(),
                    started.repair()));
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
        if (started.created()) {
            logger.info("Created WAL in " + startup.directory());
        } else {
            logger.info("Opened WAL in " + startup.directory() + " at snapshot " + started.snapshot().index() + ": "
                    + replay.entries() + " entries replayed");
        }
        return wal;
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
}

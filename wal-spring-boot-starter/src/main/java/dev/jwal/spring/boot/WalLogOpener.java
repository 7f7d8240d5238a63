package dev.jwal.spring.boot;

import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import dev.jwal.core.log.LogCursor;
import dev.jwal.core.log.NotAnApplicationLogException;
import dev.jwal.core.log.WalLog;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Startup of the application log: opens (or creates) it, repairing a torn tail once when allowed,
 * and streams the records after its compaction point into the recovery handlers. A directory a
 * raft node's {@code Wal} wrote is refused naming {@code wal.api}.
 */
final class WalLogOpener {

    private static final Log logger = LogFactory.getLog(WalLogOpener.class);

    private final Path directory;
    private final WalOptions options;
    private final int keepSegments;
    private final boolean repairTornTail;
    private final Consumer<dev.jwal.core.RepairResult> onRepair;

    WalLogOpener(Path directory, WalOptions options, int keepSegments, boolean repairTornTail,
            Consumer<dev.jwal.core.RepairResult> onRepair) {
        this.directory = directory;
        this.options = options;
        this.keepSegments = keepSegments;
        this.repairTornTail = repairTornTail;
        this.onRepair = onRepair;
    }

    WalLog open(List<WalLogRecoveryHandler> handlers) {
        boolean created = !WalDirectory.exists(directory, options);
        WalLog log = openRepairingOnce();
        try {
            for (WalLogRecoveryHandler handler : handlers) {
                handler.begin(log.compactedThrough());
            }
            long records = 0;
            if (!handlers.isEmpty()) {
                LogCursor cursor = log.read(log.firstIndex());
                while (cursor.hasNext()) {
                    var record = cursor.next();
                    for (WalLogRecoveryHandler handler : handlers) {
                        handler.record(record);
                    }
                    records++;
                }
            }
            for (WalLogRecoveryHandler handler : handlers) {
                handler.end(log.lastIndex());
            }
            logger.info((created ? "Created application log in " : "Opened application log in ") + directory
                    + " at compaction point " + log.compactedThrough() + ": last index " + log.lastIndex()
                    + (handlers.isEmpty() ? "" : ", " + records + " records recovered"));
            return log;
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private WalLog openRepairingOnce() {
        try {
            return openRefusingRaft();
        } catch (UnexpectedEofException torn) {
            // as for a raft WAL: only a torn last record is cut, and only when allowed
            if (!repairTornTail || !torn.isTornTail()) {
                throw torn;
            }
            var repair = WalDirectory.repair(directory, options);
            onRepair.accept(repair);
            logger.warn("Repaired the torn tail of the application log in " + directory + ": " + repair);
            return openRefusingRaft();
        }
    }

    private WalLog openRefusingRaft() {
        try {
            return WalLog.open(directory, options, keepSegments);
        } catch (NotAnApplicationLogException e) {
            throw new WalApiMismatchException(directory, WalApi.RAFT, WalApi.LOG, e);
        }
    }
}

package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.RepairResult;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalStartup;
import dev.jwal.core.log.LogRecord;
import dev.jwal.core.log.LogRecoveryHandler;
import dev.jwal.core.log.NotAnApplicationLogException;
import dev.jwal.core.log.WalLog;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Startup of the application log: wal-core opens (or creates) it, repairing a torn tail once when
 * allowed, and streams the records after its compaction point (or from the earliest
 * {@code fromIndex()} a handler asks for) into the recovery handlers in the same pass that checks
 * them. Without handlers, the sealed segments the log's checkpoint vouches for are not read: the
 * background check reads them after the open. A directory a raft node's {@code Wal} wrote is refused naming
 * {@code wal.api}.
 */
final class WalLogOpener {

    private static final Log logger = LogFactory.getLog(WalLogOpener.class);

    private final WalStartup startup;
    private final int keepSegments;

    WalLogOpener(Path directory, WalOptions options, int keepSegments, boolean repairTornTail,
            Consumer<RepairResult> onRepair) {
        this.keepSegments = keepSegments;
        this.startup = WalStartup.in(directory, options).repairTornTail(repairTornTail).onRepair(repair -> {
            onRepair.accept(repair);
            logger.warn("Repaired the torn tail of the application log in " + directory + ": " + repair);
        });
    }

    WalLog open(List<WalLogRecoveryHandler> handlers) {
        Tally tally = new Tally(handlers);
        WalLog log;
        try {
            log = WalLog.open(startup, keepSegments, tally);
        } catch (NotAnApplicationLogException e) {
            throw new WalApiMismatchException(startup.directory(), WalApi.RAFT, WalApi.LOG, e);
        }
        logger.info("Application log in " + startup.directory() + " ready at compaction point "
                + log.compactedThrough() + ": last index " + log.lastIndex()
                + (handlers.isEmpty() ? "" : ", " + tally.records + " records recovered"));
        return log;
    }

    /** Hands each record to every handler in order, and counts them for the log line. */
    private static final class Tally implements LogRecoveryHandler {
        private final List<WalLogRecoveryHandler> handlers;
        private long records;

        Tally(List<WalLogRecoveryHandler> handlers) {
            this.handlers = handlers;
        }

        @Override
        public void begin(long compactedThrough) {
            handlers.forEach(handler -> handler.begin(compactedThrough));
        }

        @Override
        public void record(LogRecord record) {
            records++;
            for (WalLogRecoveryHandler handler : handlers) {
                if (Long.compareUnsigned(record.index(), handler.fromIndex()) >= 0) {
                    handler.record(record);
                }
            }
        }

        /** The earliest any handler asks for; none at all without handlers, so sealed segments need not be read. */
        @Override
        public long fromIndex() {
            long from = -1;
            for (WalLogRecoveryHandler handler : handlers) {
                if (Long.compareUnsigned(handler.fromIndex(), from) < 0) {
                    from = handler.fromIndex();
                }
            }
            return from;
        }

        @Override
        public void end(long lastIndex) {
            handlers.forEach(handler -> handler.end(lastIndex));
        }
    }
}

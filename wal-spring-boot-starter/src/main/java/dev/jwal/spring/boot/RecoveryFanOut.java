package dev.jwal.spring.boot;

import dev.jwal.core.Entry;
import dev.jwal.core.WalReplayHandler;
import java.util.List;

/**
 * Hands each replayed entry and overwrite to every recovery handler in order. After a torn tail
 * is repaired the log is replayed again from the start: the first replay's callbacks, which the
 * handlers already have, are counted and passed over, so that each handler sees every entry once
 * (a repair only cuts what follows the last intact record, so the second replay repeats them).
 */
final class RecoveryFanOut implements WalReplayHandler {

    private final List<WalRecoveryHandler> handlers;
    private long delivered;
    private long toSkip;

    RecoveryFanOut(List<WalRecoveryHandler> handlers) {
        this.handlers = handlers;
    }

    /** Passes over as many callbacks as were delivered so far: the start of a second replay. */
    void replayAgain() {
        toSkip = delivered;
        delivered = 0;
    }

    @Override
    public void entry(Entry entry) {
        if (skipped()) {
            return;
        }
        for (WalRecoveryHandler handler : handlers) {
            handler.entry(entry);
        }
    }

    @Override
    public void truncated(long index) {
        if (skipped()) {
            return;
        }
        for (WalRecoveryHandler handler : handlers) {
            handler.truncated(index);
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

    void begin(WalRecoveryStart start) {
        for (WalRecoveryHandler handler : handlers) {
            handler.begin(start);
        }
    }

    void end(WalRecoveryEnd end) {
        for (WalRecoveryHandler handler : handlers) {
            handler.end(end);
        }
    }
}

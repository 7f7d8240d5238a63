package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.Entry;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalStartup;
import java.nio.file.Path;
import java.util.List;

/**
 * Hands each replayed entry and overwrite to every recovery handler in order. wal-core's
 * {@code WalStartup} already hands each over once across a torn-tail repair.
 */
final class RecoveryFanOut implements WalStartup.Handler {

    private final Path directory;
    private final List<WalRecoveryHandler> handlers;

    RecoveryFanOut(Path directory, List<WalRecoveryHandler> handlers) {
        this.directory = directory;
        this.handlers = handlers;
    }

    @Override
    public void entry(Entry entry) {
        for (WalRecoveryHandler handler : handlers) {
            handler.entry(entry);
        }
    }

    @Override
    public void truncated(long index) {
        for (WalRecoveryHandler handler : handlers) {
            handler.truncated(index);
        }
    }

    @Override
    public void begin(boolean created, WalSnapshot openedAt) {
        WalRecoveryStart start = new WalRecoveryStart(directory, created, openedAt);
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

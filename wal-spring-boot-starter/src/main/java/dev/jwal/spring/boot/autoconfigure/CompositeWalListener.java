package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.WalException;
import dev.jwal.core.WalListener;
import java.nio.file.Path;
import java.util.List;

/** Passes each event to several listeners: the starter's {@link WalStats} and the application's. */
final class CompositeWalListener implements WalListener {

    private final WalListener[] listeners;

    CompositeWalListener(List<WalListener> listeners) {
        this.listeners = listeners.toArray(WalListener[]::new);
    }

    @Override
    public void synced(long nanos) {
        for (WalListener listener : listeners) {
            listener.synced(nanos);
        }
    }

    @Override
    public void slowSync(long nanos) {
        for (WalListener listener : listeners) {
            listener.slowSync(nanos);
        }
    }

    @Override
    public void written(long bytes, long nanos) {
        for (WalListener listener : listeners) {
            listener.written(bytes, nanos);
        }
    }

    @Override
    public void groupCommitted(int saves, int queued) {
        for (WalListener listener : listeners) {
            listener.groupCommitted(saves, queued);
        }
    }

    @Override
    public void saved(int entries) {
        for (WalListener listener : listeners) {
            listener.saved(entries);
        }
    }

    @Override
    public void segmentCut(Path segment) {
        for (WalListener listener : listeners) {
            listener.segmentCut(segment);
        }
    }

    @Override
    public void failed(WalException error) {
        for (WalListener listener : listeners) {
            listener.failed(error);
        }
    }
}

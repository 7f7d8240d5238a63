package dev.jwal.core.engine;

import dev.jwal.core.WalException;
import dev.jwal.core.WalListener;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * The user's {@link WalListener} as the WAL's writing calls it: on whichever thread holds the
 * files (the log writer, or a caller writing its own save), one at a time, so each call must be
 * quick; an exception from it is logged and swallowed, because a broken meter must not
 * poison the WAL. Also counts the bytes written, for {@link dev.jwal.core.WalStatus}.
 */
final class SafeListener implements WalListener {

    private static final System.Logger LOG = System.getLogger(SafeListener.class.getName());

    private final WalListener listener;
    private long bytesWritten;
    private boolean warned;

    SafeListener(WalListener listener) {
        this.listener = listener;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public void synced(long nanos) {
        call(() -> listener.synced(nanos));
    }

    @Override
    public void slowSync(long nanos) {
        call(() -> listener.slowSync(nanos));
    }

    @Override
    public void written(long bytes, long nanos) {
        bytesWritten += bytes;
        call(() -> listener.written(bytes, nanos));
    }

    @Override
    public void saved(int entries) {
        call(() -> listener.saved(entries));
    }

    @Override
    public void groupCommitted(int saves, int queued) {
        call(() -> listener.groupCommitted(saves, queued));
    }

    @Override
    public void segmentCut(Path segment) {
        call(() -> listener.segmentCut(segment));
    }

    @Override
    public void failed(WalException error) {
        call(() -> listener.failed(error));
    }

    private void call(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "a WalListener threw; the WAL carries on (logged once)", e);
            }
        }
    }
}

package dev.jwal.spring.boot;

import dev.jwal.core.Wal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Syncs and closes the WAL when the context stops: after the web server has stopped taking and
 * finished serving requests, so that every request acknowledged on a graceful shutdown is durable.
 */
final class WalLifecycle implements SmartLifecycle {

    /**
     * Spring Boot stops the web server in phase {@code DEFAULT_PHASE - 2048} (after graceful
     * shutdown in {@code DEFAULT_PHASE - 1024}); lower phases stop later, so the WAL closes after it.
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log logger = LogFactory.getLog(WalLifecycle.class);

    private final Wal wal;
    private volatile boolean running;

    WalLifecycle(Wal wal) {
        this.wal = wal;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (wal.isClosed()) {
            return;
        }
        try {
            wal.close();
            logger.info("Closed WAL in " + wal.directory());
        } catch (RuntimeException e) {
            logger.error("Closing the WAL in " + wal.directory() + " failed; records saved since its last sync"
                    + " may not be durable", e);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}

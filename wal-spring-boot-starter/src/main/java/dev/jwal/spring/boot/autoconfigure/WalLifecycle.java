package dev.jwal.spring.boot.autoconfigure;

import java.nio.file.Files;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Makes everything saved durable when the context stops, after the web server has stopped taking
 * and finished serving requests, so that every request acknowledged on a graceful shutdown is
 * durable. A stop does not close the WAL: a context stopped and started again (as Spring's test
 * context cache pauses and resumes idle contexts) appends where it left off. The WAL is closed
 * once, when the context closes and destroys its beans, which follows the last stop.
 */
public final class WalLifecycle implements SmartLifecycle, DisposableBean {

    /**
     * Spring Boot stops the web server in phase {@code DEFAULT_PHASE - 2048} (after graceful
     * shutdown in {@code DEFAULT_PHASE - 1024}); lower phases stop later, so the WAL syncs after it.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log logger = LogFactory.getLog(WalLifecycle.class);

    private final ObservedWal wal;
    private volatile boolean running;

    WalLifecycle(ObservedWal wal) {
        this.wal = wal;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (wal.isClosed() || wal.poisonCause().isPresent()) {
            // closed by the application, or refusing appends already: nothing more can be made durable
            return;
        }
        ending("Syncing", "stopped", wal::sync);
    }

    /**
     * Closes the WAL as the context closes: this bean depends on the WAL, so it is destroyed
     * first, and the WAL bean's own close afterwards finds it closed.
     */
    @Override
    public void destroy() {
        if (wal.isClosed()) {
            return;
        }
        ending("Closing", "closed", () -> {
            wal.close();
            logger.info("Closed WAL in " + wal.directory());
        });
    }

    /**
     * Runs the last step of a stop or close. A failure is logged, not thrown (the context goes on
     * stopping); when the directory is gone (a test's temporary folder) there was nothing to keep.
     */
    private void ending(String step, String contextState, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            if (!Files.isDirectory(wal.directory())) {
                logger.warn("The WAL's directory " + wal.directory() + " was removed before the context "
                        + contextState);
                return;
            }
            logger.error(step + " the WAL in " + wal.directory() + " as the context " + contextState + " failed;"
                    + " records saved since its last sync may not be durable", e);
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

package dev.jwal.spring.boot.raft;

import dev.jwal.jgroups.raft.JwalRaftLog;
import dev.jwal.spring.boot.autoconfigure.WalLifecycle;
import java.util.Map;
import org.jgroups.JChannel;
import org.springframework.context.SmartLifecycle;

/**
 * Joins the raft cluster when the context starts, before the web server takes requests, and
 * leaves it when the context stops, after the web server has finished with them: leaving stops
 * RAFT, which closes jwal's log (every append already durable). A context started again (as
 * Spring's test context cache resumes a paused one) opens the log again and rejoins; the channel
 * is closed for good with the context.
 */
final class RaftChannelLifecycle implements SmartLifecycle {

    /** Stops after the web server (DEFAULT_PHASE - 2048) and before the WAL's final sync. */
    static final int PHASE = WalLifecycle.PHASE + 1;

    private final JChannel channel;
    private final String clusterName;
    private final JwalRaftLog log;
    private final String logName;
    private volatile boolean running;

    RaftChannelLifecycle(JChannel channel, String clusterName, JwalRaftLog log, String logName) {
        this.channel = channel;
        this.clusterName = clusterName;
        this.log = log;
        this.logName = logName;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void start() {
        try {
            if (log.wal() == null) {
                log.init(logName, Map.of());
            }
            channel.connect(clusterName);
        } catch (Exception e) {
            throw new IllegalStateException("joining the raft cluster '" + clusterName + "' as "
                    + channel.getName() + " failed: " + e.getMessage(), e);
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        channel.disconnect();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

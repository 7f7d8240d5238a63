package dev.jwal.sample;

import dev.jwal.core.log.WalLog;
import org.jgroups.raft.RaftHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * A durable key-value service over HTTP: every write is saved to a jwal WAL before it is
 * acknowledged, and the store is rebuilt from the newest snapshot and the WAL on start.
 */
@SpringBootApplication
public class SampleApplication {

    private static final Logger log = LoggerFactory.getLogger(SampleApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** One line that says where the service listens and where its state lives. */
    @EventListener
    public void ready(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : -1;
        SampleProperties properties = event.getApplicationContext().getBean(SampleProperties.class);
        String management = event.getApplicationContext().getEnvironment().getProperty("local.management.port",
                String.valueOf(port));
        WalLog wal = event.getApplicationContext().getBeanProvider(WalLog.class).getIfAvailable();
        if (wal != null) {
            log.info("jwal sample ready on port {} (actuator on port {}): data in {}, WAL in {}, last index {}", port,
                    management, properties.getDataDir().toAbsolutePath().normalize(), wal.directory(), wal.lastIndex());
            return;
        }
        RaftHandle raft = event.getApplicationContext().getBean(RaftHandle.class);
        log.info("jwal sample ready on port {} (actuator on port {}): raft node {} of {}, raft log in {}, commit index {}",
                port, management, raft.raftId(), raft.raft().members(),
                event.getApplicationContext().getEnvironment().getProperty("wal.directory"), raft.commitIndex());
    }
}

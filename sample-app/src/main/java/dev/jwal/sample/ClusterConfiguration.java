package dev.jwal.sample;

import java.time.Duration;
import org.jgroups.raft.RaftHandle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the store as one node of a jgroups-raft cluster (profile {@code cluster}, which sets
 * {@code wal.raft.enabled}): the starter makes the node from the {@link ReplicatedKvStore}, the
 * state machine RAFT applies committed writes to.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleProperties.class)
@ConditionalOnBooleanProperty("wal.raft.enabled")
public class ClusterConfiguration {

    /** How long a write waits to be committed before it is answered 503 (it may still commit). */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    @Bean
    public KvState kvState() {
        return new KvState();
    }

    @Bean
    public ReplicatedKvStore replicatedKvStore(KvState state, ObjectProvider<RaftHandle> raft) {
        return new ReplicatedKvStore(state, raft, WRITE_TIMEOUT);
    }
}

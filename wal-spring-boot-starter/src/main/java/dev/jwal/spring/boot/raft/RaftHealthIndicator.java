package dev.jwal.spring.boot.raft;

import org.jgroups.Address;
import org.jgroups.raft.RaftHandle;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A raft node's health, shown as {@code raft} under {@code /actuator/health}: its role, term,
 * leader, commit index, last applied index and how far applying lags behind the commits. DOWN
 * while the node knows no leader (it can take no writes), with {@code error} saying so in place of
 * the leader; UP otherwise. Read without locks that RAFT's own threads hold long.
 */
public class RaftHealthIndicator implements HealthIndicator {

    private final RaftHandle raft;

    /** The indicator of the node behind {@code raft}. */
    public RaftHealthIndicator(RaftHandle raft) {
        this.raft = raft;
    }

    @Override
    public Health health() {
        Address leader = raft.leader();
        long commit = raft.commitIndex();
        long applied = raft.lastApplied();
        // Spring Boot refuses a null detail, and throwing here answered /actuator/health with a
        // 500 exactly when a node is without a leader; the error detail says so instead.
        Health.Builder health = leader == null ? Health.down().withDetail("error", "no leader known")
                : Health.up().withDetail("leader", leader.toString());
        return health.withDetail("node", raft.raftId())
                .withDetail("role", raft.raft().role())
                .withDetail("term", raft.currentTerm())
                .withDetail("commitIndex", commit)
                .withDetail("lastApplied", applied)
                .withDetail("appliedLag", Math.max(0, commit - applied))
                .withDetail("members", raft.raft().members())
                .build();
    }
}

package dev.jwal.spring.boot.raft;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jgroups.protocols.raft.Role;
import org.jgroups.raft.RaftHandle;

/**
 * A raft node's meters, tagged {@code node}: {@code wal.raft.commits} (entries committed, as a
 * counter of the commit index), {@code wal.raft.term}, {@code wal.raft.applied.lag} (committed but
 * not yet applied), {@code wal.raft.role} (1 for the node's current role, tagged {@code role}) and
 * {@code wal.raft.role.changes} (tagged with the role taken: a count of {@code Leader} changes on
 * a node is its elections won).
 */
public class RaftMetrics implements MeterBinder {

    private final RaftHandle raft;

    /** The meters of the node behind {@code raft}. */
    public RaftMetrics(RaftHandle raft) {
        this.raft = raft;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("node", String.valueOf(raft.raftId()));
        FunctionCounter.builder("wal.raft.commits", raft, RaftHandle::commitIndex).tags(tags)
                .description("Entries committed (the commit index)").register(registry);
        Gauge.builder("wal.raft.term", raft, RaftHandle::currentTerm).tags(tags)
                .description("The node's current raft term").register(registry);
        Gauge.builder("wal.raft.applied.lag", raft, handle -> Math.max(0, handle.commitIndex() - handle.lastApplied()))
                .tags(tags).description("Entries committed but not yet applied to the state machine").register(registry);
        for (Role role : Role.values()) {
            Gauge.builder("wal.raft.role", raft, handle -> role.name().equals(handle.raft().role()) ? 1 : 0)
                    .tags(tags.and("role", role.name())).description("1 for the role the node has now")
                    .register(registry);
        }
        raft.addRoleListener(role -> Counter.builder("wal.raft.role.changes").tags(tags.and("role", role.name()))
                .description("Roles the node took (Leader: elections won)").register(registry).increment());
    }
}

package dev.jwal.spring.boot.raft;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.Role;

/**
 * Logs each change of this node's raft role, with the term and the leader it knows: what an
 * operator reads after a fault to see an election, a new leader, or a leader that stepped down.
 */
final class RaftRoleLog implements RAFT.RoleChange {

    private static final Log logger = LogFactory.getLog(RaftRoleLog.class);

    private final RAFT raft;
    private final String node;

    RaftRoleLog(RAFT raft, String node) {
        this.raft = raft;
        this.node = node;
    }

    @Override
    public void roleChanged(Role role) {
        Object leader = raft.leader();
        logger.info("Raft node " + node + " is now " + role + " in term " + raft.currentTerm()
                + (leader == null ? ", no leader known" : ", leader " + leader));
    }
}

package dev.jwal.jgroups.raft;

import org.jgroups.protocols.raft.Log;

/** The {@link Log} contract against jwal's log. */
class JwalRaftLogContractTest extends LogContract {

    @Override
    Log newLog() {
        return new JwalRaftLog();
    }
}

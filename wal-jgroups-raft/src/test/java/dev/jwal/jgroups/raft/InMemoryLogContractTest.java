package dev.jwal.jgroups.raft;

import org.jgroups.protocols.raft.InMemoryLog;
import org.jgroups.protocols.raft.Log;

/** The {@link Log} contract against jgroups-raft's own InMemoryLog: proves the cases right. */
class InMemoryLogContractTest extends LogContract {

    @Override
    Log newLog() {
        return new InMemoryLog();
    }
}

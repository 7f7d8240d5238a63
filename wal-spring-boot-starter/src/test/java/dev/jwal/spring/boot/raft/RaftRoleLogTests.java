package dev.jwal.spring.boot.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** An operator reading the log after a fault sees each role this node took, with its term. */
@ExtendWith(OutputCaptureExtension.class)
class RaftRoleLogTests {

    @Test
    void eachRoleChangeIsLoggedWithTheTermAndTheLeaderKnown(CapturedOutput output) {
        RaftRoleLog log = new RaftRoleLog(new RAFT(), "node-a");
        log.roleChanged(Role.Learner);
        log.roleChanged(Role.Follower);
        assertThat(output).contains("Raft node node-a is now Learner in term 0, no leader known")
                .contains("Raft node node-a is now Follower in term 0");
    }
}

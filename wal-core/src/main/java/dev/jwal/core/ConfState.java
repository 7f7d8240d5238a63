package dev.jwal.core;

import java.util.List;

/**
 * Raft's membership at a snapshot ({@code raftpb.ConfState}), written inside snapshot records by
 * etcd 3.5 and later.
 */
public record ConfState(List<Long> voters, List<Long> learners, List<Long> votersOutgoing, List<Long> learnersNext,
        boolean autoLeave) {

    public ConfState {
        voters = List.copyOf(voters);
        learners = List.copyOf(learners);
        votersOutgoing = List.copyOf(votersOutgoing);
        learnersNext = List.copyOf(learnersNext);
    }
}

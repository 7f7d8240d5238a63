package dev.jwal.spring.boot.raft;

import dev.jwal.core.Wal;
import dev.jwal.core.WalStatus;
import dev.jwal.jgroups.raft.JwalRaftLog;
import dev.jwal.spring.boot.autoconfigure.ObservedWal;
import java.nio.file.Path;
import java.util.Map;

/**
 * A jgroups-raft node's WAL as the health indicator, meters and endpoint see it. RAFT closes the
 * log when the node leaves the cluster and it is opened again if the node rejoins, so each read
 * goes to the WAL open now, or the last one (closed) in between.
 */
final class RaftObservedWal implements ObservedWal {

    private final JwalRaftLog log;
    private volatile Wal last;

    RaftObservedWal(JwalRaftLog log) {
        this.log = log;
        this.last = log.wal();
    }

    private Wal current() {
        Wal open = log.wal();
        if (open != null) {
            last = open;
            return open;
        }
        return last;
    }

    @Override
    public Path directory() {
        return current().directory();
    }

    @Override
    public WalStatus status() {
        return current().status();
    }

    @Override
    public dev.jwal.core.WalScrub scrub() {
        return current().scrub();
    }

    @Override
    public void sync() {
        Wal open = log.wal();
        if (open != null) {
            open.sync();
        }
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public boolean isClosed() {
        return log.wal() == null;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("raftLog", log.directory().toString(), "firstIndex", log.firstAppended(),
                "commitIndex", log.commitIndex(), "term", log.currentTerm());
    }
}

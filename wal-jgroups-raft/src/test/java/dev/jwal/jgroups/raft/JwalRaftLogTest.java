package dev.jwal.jgroups.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.Entry;
import dev.jwal.core.EntryType;
import dev.jwal.core.SyncPolicy;
import dev.jwal.core.Wal;
import dev.jwal.core.WalContents;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jgroups.Address;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.jgroups.util.ExtendedUUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What jwal's raft log does beyond the {@link org.jgroups.protocols.raft.Log} contract. */
class JwalRaftLogTest {

    @TempDir
    Path temp;

    private JwalRaftLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private Path dir() {
        return temp.resolve("node.log");
    }

    private JwalRaftLog open() throws Exception {
        log = new JwalRaftLog();
        log.init(dir().toString(), null);
        return log;
    }

    private static LogEntries entries(long term, String... commands) {
        LogEntries entries = new LogEntries();
        for (String command : commands) {
            entries.add(new LogEntry(term, command.getBytes(StandardCharsets.UTF_8)));
        }
        return entries;
    }

    @Test
    void fsyncStaysOnWhateverRaftAsks() throws Exception {
        open();
        log.useFsync(false);
        assertThat(log.useFsync()).isTrue();
        assertThatThrownBy(() -> new JwalRaftLog(WalOptions.builder().syncPolicy(SyncPolicy.NONE).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GROUP or ALWAYS");
    }

    @Test
    void theWalIsEtcdsWithRaftsHardState() throws Exception {
        Address member = ExtendedUUID.randomUUID("B").put("raft-id".getBytes(StandardCharsets.UTF_8), "B".getBytes());
        open();
        log.currentTerm(3);
        log.votedFor(member);
        log.append(1, entries(3, "one", "two"));
        log.append(3, LogEntries.create(new LogEntry(3, "members".getBytes()).internal(true)));
        log.commitIndex(2);
        log.close();

        try (Wal wal = Wal.openForRead(dir().resolve("wal"), WalSnapshot.ZERO)) {
            WalContents contents = wal.readAll();
            assertThat(new String(contents.metadata(), StandardCharsets.UTF_8)).isEqualTo(JwalRaftLog.METADATA);
            assertThat(contents.hardState().term()).isEqualTo(3);
            assertThat(contents.hardState().vote()).isEqualTo(1);
            assertThat(contents.hardState().commit()).isEqualTo(2);
            assertThat(contents.entries()).extracting(Entry::index, Entry::type).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(1L, EntryType.NORMAL),
                    org.assertj.core.groups.Tuple.tuple(2L, EntryType.NORMAL),
                    org.assertj.core.groups.Tuple.tuple(3L, EntryType.CONF_CHANGE));
        }
        open();
        assertThat(log.votedFor()).isEqualTo(member);
        assertThat(((ExtendedUUID) log.votedFor()).get("raft-id".getBytes(StandardCharsets.UTF_8))).isEqualTo("B".getBytes());
    }

    @Test
    void refusesAGapAndAnOverwriteOfCommittedEntries() throws Exception {
        open();
        log.append(1, entries(1, "a", "b", "c"));
        log.commitIndex(2);
        assertThatThrownBy(() -> log.append(5, entries(1, "e")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at 5").hasMessageContaining("gap");
        assertThatThrownBy(() -> log.append(2, entries(2, "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commit index 2");
        assertThatThrownBy(() -> log.deleteAllEntriesStartingFrom(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commit index 2");
        assertThat(log.lastAppended()).isEqualTo(3);
    }

    @Test
    void anOverwrittenSuffixStaysOverwrittenAfterAReopen() throws Exception {
        open();
        log.append(1, entries(1, "a", "b", "c", "d"));
        log.commitIndex(2);
        log.append(3, entries(2, "C"));
        assertThat(log.lastAppended()).isEqualTo(3);
        log.close();
        open();
        assertThat(log.lastAppended()).isEqualTo(3);
        assertThat(new String(log.get(3).command())).isEqualTo("C");
        assertThat(log.get(4)).isNull();
        assertThat(log.sizeInBytes()).isEqualTo(3);
    }

    @Test
    void aDeletionNotYetOverwrittenComesBackAfterACrashAsItWasBefore() throws Exception {
        open();
        log.append(1, entries(1, "a", "b", "c"));
        log.deleteAllEntriesStartingFrom(2);
        assertThat(log.lastAppended()).isEqualTo(1);
        log.close();
        open();
        // etcd's WAL has no deletion record: the entries stand until an append replaces them
        assertThat(log.lastAppended()).isEqualTo(3);
        log.append(2, entries(4, "B"));
        log.close();
        open();
        assertThat(log.lastAppended()).isEqualTo(2);
        assertThat(log.get(2).term()).isEqualTo(4);
    }

    @Test
    void theSnapshotIsStoredWithTheTruncationItPrecedes() throws Exception {
        open();
        log.append(1, entries(1, "a", "b", "c", "d", "e"));
        log.commitIndex(4);
        log.setSnapshot(ByteBuffer.wrap("state at 4".getBytes()));
        assertThat(Files.exists(dir().resolve("snapshot"))).isFalse();
        assertThat(StandardCharsets.UTF_8.decode(log.getSnapshot()).toString()).isEqualTo("state at 4");
        log.truncate(4);
        log.close();
        open();
        assertThat(log.firstAppended()).isEqualTo(4);
        assertThat(StandardCharsets.UTF_8.decode(log.getSnapshot()).toString()).isEqualTo("state at 4");
        assertThat(log.get(3)).isNull();
        assertThat(new String(log.get(4).command())).isEqualTo("d");
        assertThat(log.sizeInBytes()).isEqualTo(2);
    }

    @Test
    void aStagedSnapshotIsStoredAtClose() throws Exception {
        open();
        log.setSnapshot(ByteBuffer.wrap("staged".getBytes()));
        log.close();
        open();
        assertThat(StandardCharsets.UTF_8.decode(log.getSnapshot()).toString()).isEqualTo("staged");
        assertThat(log.firstAppended()).isZero();
    }

    @Test
    void aTruncationCutShortBeforeItsWalMarkerIsFinishedOnOpen() throws Exception {
        open();
        log.append(1, entries(1, "a", "b", "c", "d", "e"));
        log.commitIndex(5);
        log.close();
        // the crash came after the snapshot file, before the WAL's marker
        SnapshotFile.store(dir(), new SnapshotFile.Contents(4, 1, ByteBuffer.wrap("state at 4".getBytes())));
        open();
        assertThat(log.firstAppended()).isEqualTo(4);
        assertThat(log.get(3)).isNull();
        assertThat(log.lastAppended()).isEqualTo(5);
        assertThat(WalDirectory.validSnapshotEntries(dir().resolve("wal"))).extracting(WalSnapshot::index).contains(3L);
    }

    @Test
    void aReinitialisationCutShortIsFinishedOnOpen() throws Exception {
        open();
        log.append(1, entries(1, "a", "b"));
        log.close();
        // a follower installing a snapshot at 9 (term 3) crashed after storing the snapshot file
        SnapshotFile.store(dir(), new SnapshotFile.Contents(9, 3, ByteBuffer.wrap("state at 9".getBytes())));
        open();
        assertThat(log.firstAppended()).isEqualTo(9);
        assertThat(log.lastAppended()).isEqualTo(9);
        assertThat(log.commitIndex()).isEqualTo(9);
        assertThat(log.currentTerm()).isEqualTo(3);
        assertThat(log.get(9).term()).isEqualTo(3);
        log.append(10, entries(3, "j"));
        log.close();
        open();
        assertThat(log.lastAppended()).isEqualTo(10);
        assertThat(log.firstAppended()).isEqualTo(9);
    }

    @Test
    void aDamagedMemberTableIsNamedAndNothingIsChanged() throws Exception {
        open();
        log.votedFor(ExtendedUUID.randomUUID("A"));
        log.close();
        Path members = dir().resolve("members");
        byte[] bytes = Files.readAllBytes(members);
        bytes[bytes.length - 6] ^= 0x40;
        Files.write(members, bytes);
        byte[] damaged = Files.readAllBytes(members);
        assertThatThrownBy(this::open).isInstanceOf(RaftLogFileException.class)
                .hasMessageContaining("checksum mismatch").hasMessageContaining(members.toString());
        log = null;
        assertThat(Files.readAllBytes(members)).isEqualTo(damaged);
    }

    @Test
    void refusesAnotherProgramsWal() throws Exception {
        Wal.create(dir().resolve("wal"), "somebody-else".getBytes()).close();
        assertThatThrownBy(this::open).isInstanceOf(RaftLogFileException.class)
                .hasMessageContaining("somebody-else").hasMessageContaining(JwalRaftLog.METADATA);
        log = null;
    }

    @Test
    void refusesUnknownLogArguments() {
        JwalRaftLog unknown = new JwalRaftLog();
        assertThatThrownBy(() -> unknown.init(dir().toString(), Map.of("sink", "always")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sink'").hasMessageContaining("keep_segments");
        assertThatThrownBy(() -> unknown.init(dir().toString(), Map.of("sync", "none")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'none'");
    }

    @Test
    void concurrentAppendsInIndexOrderAreAllDurable() throws Exception {
        open();
        int threads = 8;
        int perThread = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            writers.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int round = 0; round < perThread; round++) {
                    long index = (long) round * threads + me + 1;
                    // Its turn comes when the entry before it is accepted, which is before that
                    // entry's fdatasync ends: the appends share fdatasyncs.
                    while (log.lastAppended() != index - 1) {
                        Thread.yield();
                    }
                    log.append(index, entries(1, "e" + index));
                }
            }));
        }
        writers.forEach(Thread::start);
        start.countDown();
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(log.lastAppended()).isEqualTo((long) threads * perThread);
        log.close();
        open();
        assertThat(log.lastAppended()).isEqualTo((long) threads * perThread);
        for (long index = 1; index <= threads * perThread; index++) {
            assertThat(new String(log.get(index).command())).isEqualTo("e" + index);
        }
    }
}

package dev.jwal.jgroups.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.protocols.raft.Log;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.jgroups.util.Util;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jgroups-raft's {@link Log} contract, as its own LogTest states it case by case, written again
 * here. It runs against {@link JwalRaftLog} and against jgroups-raft's {@code InMemoryLog}: a case
 * that failed on the reference would be a wrong case, not a finding.
 */
abstract class LogContract {

    @TempDir
    Path temp;

    Log log;
    String name;

    /** A new, uninitialised log of the implementation under test. */
    abstract Log newLog();

    @BeforeEach
    void name() {
        name = temp.resolve("node.log").toString();
    }

    @AfterEach
    void destroy() throws Exception {
        if (log != null) {
            log.close();
            log.delete();
        }
    }

    private Log open() throws Exception {
        log = newLog();
        log.init(name, null);
        return log;
    }

    private void reopen() throws Exception {
        log.close();
        log.init(name, null);
    }

    @Test
    void termAndVoteSurviveAReopenAndAreGoneAfterDelete() throws Exception {
        Address member = Util.createRandomAddress("A");
        open();
        log.currentTerm(22);
        log.votedFor(member);
        assertThat(log.currentTerm()).isEqualTo(22);
        assertThat(log.votedFor()).isEqualTo(member);

        reopen();
        assertThat(log.currentTerm()).isEqualTo(22);
        assertThat(log.votedFor()).isEqualTo(member);

        log.close();
        log.delete();
        log.init(name, null);
        assertThat(log.currentTerm()).isZero();
        assertThat(log.votedFor()).isNull();
    }

    @Test
    void aNewLogIsEmpty() throws Exception {
        open();
        assertIndices(0, 0, 0, 0);
        assertThat(log.votedFor()).isNull();
        assertThat(log.size()).isZero();
        assertThat(log.sizeInBytes()).isZero();
        assertThat(log.get(1)).isNull();
    }

    @Test
    void aDeletedLogStartsAgainEmpty() throws Exception {
        open();
        append(1, 5, 5, 5);
        log.commitIndex(2);
        assertIndices(0, 3, 2, 5);
        log.close();
        log.delete();
        log.init(name, null);
        assertIndices(0, 0, 0, 0);
        assertThat(log.votedFor()).isNull();
    }

    @Test
    void indexesTermAndVoteSurviveAReopen() throws Exception {
        Address member = Util.createRandomAddress("A");
        open();
        append(1, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6);
        log.commitIndex(10);
        log.votedFor(member);
        reopen();
        assertIndices(0, 10, 10, 6);
        assertThat(log.votedFor()).isEqualTo(member);
        assertThat(log.get(7).term()).isEqualTo(5);
    }

    @Test
    void appendingRaisesTheTermAndTheLastIndex() throws Exception {
        open();
        log.append(1, LogEntries.create(new LogEntry(5, new byte[10]), new LogEntry(5, new byte[10])));
        assertIndices(0, 2, 0, 5);

        LogEntries more = new LogEntries();
        for (int i = 0; i < 30; i++) {
            more.add(new LogEntry(Math.max(5, i / 2), new byte[10]));
        }
        assertThat(log.append(3, more)).isEqualTo(32);
        assertIndices(0, 32, 0, 14);
    }

    @Test
    void entriesReadBackWithTheirTermsCommandsAndInternalFlags() throws Exception {
        open();
        LogEntries entries = new LogEntries();
        for (int i = 1; i <= 10; i++) {
            byte[] command = ("command " + i).getBytes();
            entries.add(new LogEntry(i, command).internal(i % 2 == 0));
        }
        assertThat(log.append(1, entries)).isEqualTo(10);
        for (int i = 1; i <= 10; i++) {
            LogEntry entry = log.get(i);
            assertThat(entry.term()).isEqualTo(i);
            assertThat(new String(entry.command(), entry.offset(), entry.length())).isEqualTo("command " + i);
            assertThat(entry.internal()).isEqualTo(i % 2 == 0);
        }
        List<Long> internal = new ArrayList<>();
        log.forEach((entry, index) -> {
            if (entry.internal()) {
                internal.add(index);
            }
        });
        assertThat(internal).containsExactly(2L, 4L, 6L, 8L, 10L);
    }

    @Test
    void aCommandSliceIsStoredAsItsSlice() throws Exception {
        open();
        byte[] buffer = "..slice..".getBytes();
        log.append(1, LogEntries.create(new LogEntry(1, buffer, 2, 5)));
        LogEntry entry = log.get(1);
        assertThat(new String(entry.command(), entry.offset(), entry.length())).isEqualTo("slice");
    }

    @Test
    void deletingFromTheMiddleKeepsWhatIsBefore() throws Exception {
        open();
        append(1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3);
        log.commitIndex(5);
        log.deleteAllEntriesStartingFrom(6);
        assertIndices(0, 5, 5, 2);
        for (int i = 1; i <= 5; i++) {
            assertThat(log.get(i)).isNotNull();
        }
        for (int i = 6; i <= 11; i++) {
            assertThat(log.get(i)).isNull();
        }
    }

    @Test
    void deletingFromTheFirstEmptiesTheLog() throws Exception {
        open();
        append(1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3);
        log.deleteAllEntriesStartingFrom(1);
        assertIndices(0, 0, 0, 0);
        for (int i = 1; i <= 11; i++) {
            assertThat(log.get(i)).isNull();
        }
    }

    @Test
    void deletingTheLastEntry() throws Exception {
        open();
        append(1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3);
        log.commitIndex(10);
        log.deleteAllEntriesStartingFrom(11);
        assertIndices(0, 10, 10, 3);
        assertThat(log.get(10)).isNotNull();
        assertThat(log.get(11)).isNull();
    }

    @Test
    void anAppendAfterADeletionReplacesTheDeletedEntries() throws Exception {
        open();
        append(1, 1, 1, 1, 2, 2, 2);
        log.commitIndex(3);
        log.deleteAllEntriesStartingFrom(4);
        append(4, 7, 7);
        assertIndices(0, 5, 3, 7);
        assertThat(log.get(4).term()).isEqualTo(7);
        assertThat(log.get(6)).isNull();
    }

    @Test
    void truncatingInTheMiddleKeepsTheEntryAtTheIndex() throws Exception {
        open();
        append(1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3);
        log.commitIndex(11);
        log.truncate(6);
        assertIndices(6, 11, 11, 3);
        for (int i = 1; i <= 5; i++) {
            assertThat(log.get(i)).isNull();
        }
        for (int i = 6; i <= 11; i++) {
            assertThat(log.get(i)).isNotNull();
        }
        assertThat(log.size()).isEqualTo(6);
    }

    @Test
    void truncatingToTheFirstEntry() throws Exception {
        open();
        append(1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3);
        log.commitIndex(11);
        log.truncate(1);
        assertIndices(1, 11, 11, 3);
        assertThat(log.get(1)).isNotNull();
    }

    @Test
    void truncatingToTheLastEntry() throws Exception {
        open();
        append(1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3);
        log.commitIndex(11);
        log.truncate(11);
        assertIndices(11, 11, 11, 3);
        for (int i = 1; i <= 10; i++) {
            assertThat(log.get(i)).isNull();
        }
        assertThat(log.get(11)).isNotNull();
        assertThat(log.size()).isEqualTo(1);
    }

    @Test
    void aTruncationSurvivesAReopen() throws Exception {
        open();
        append(1, 1, 1, 1, 2, 2);
        log.commitIndex(5);
        log.truncate(4);
        reopen();
        assertThat(log.firstAppended()).isEqualTo(4);
        assertThat(log.lastAppended()).isEqualTo(5);
        for (int i = 1; i <= 3; i++) {
            assertThat(log.get(i)).isNull();
        }
        assertThat(log.get(4).term()).isEqualTo(2);
        assertThat(log.get(5)).isNotNull();
    }

    @Test
    void aTruncationAtTheCommitIndexSurvivesAReopen() throws Exception {
        open();
        append(1, 1, 1, 1, 2, 2, 2, 2, 3, 4, 5);
        log.commitIndex(log.lastAppended());
        log.truncate(log.commitIndex());
        reopen();
        assertIndices(10, 10, 10, 5);
        for (int i = 1; i < 10; i++) {
            assertThat(log.get(i)).isNull();
        }
        assertThat(log.get(10)).isNotNull();
    }

    @Test
    void aSecondTruncationMovesTheFirstIndexOn() throws Exception {
        open();
        append(1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5);
        log.commitIndex(6);
        log.truncate(4);
        assertThat(log.commitIndex()).isEqualTo(6);
        assertThat(log.firstAppended()).isEqualTo(4);
        log.commitIndex(10);
        log.truncate(8);
        assertThat(log.commitIndex()).isEqualTo(10);
        assertThat(log.firstAppended()).isEqualTo(8);
    }

    @Test
    void aTruncationStopsAtTheCommitIndex() throws Exception {
        open();
        append(1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5);
        log.commitIndex(5);
        log.truncate(10);
        assertThat(log.commitIndex()).isEqualTo(5);
        assertThat(log.firstAppended()).isEqualTo(5);
    }

    @Test
    void reinitializingStartsTheLogAgainAtTheIndex() throws Exception {
        open();
        append(1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5);
        assertIndices(0, 10, 0, 5);
        log.reinitializeTo(5, new LogEntry(10, null));
        assertIndices(5, 5, 5, 10);
        assertThat(log.size()).isEqualTo(1);
        assertThat(log.append(6, LogEntries.create(new LogEntry(15, null)))).isEqualTo(6);
        assertThat(log.size()).isEqualTo(2);
        assertIndices(5, 6, 5, 15);
    }

    @Test
    void forEachVisitsTheLiveEntriesInOrder() throws Exception {
        open();
        LogEntries entries = new LogEntries();
        for (int i = 1; i <= 10; i++) {
            entries.add(new LogEntry(i, new byte[10]));
        }
        log.append(1, entries);
        log.commitIndex(8);
        assertThat(visited(() -> log.forEach((entry, index) -> visits.add(index)))).hasSize(10);

        log.truncate(8);
        append(11, 6, 6, 6, 7, 7, 7, 8, 8, 8, 8);
        assertThat(visited(() -> log.forEach((entry, index) -> visits.add(index))))
                .hasSize(13).startsWith(8L, 9L, 10L, 11L).endsWith(20L);
        assertThat(visited(() -> log.forEach((entry, index) -> visits.add(index), 0, 25))).hasSize(13);
    }

    @Test
    void sizeCountsTheLiveEntries() throws Exception {
        open();
        assertThat(log.size()).isZero();
        append(1, 5);
        assertThat(log.size()).isEqualTo(1);
        append(2, 5);
        assertThat(log.size()).isEqualTo(2);
        append(3, 5, 5, 5, 5, 5, 5);
        assertThat(log.size()).isEqualTo(8);
        log.commitIndex(3);
        log.truncate(3);
        assertThat(log.size()).isEqualTo(6);
    }

    @Test
    void sizeInBytesCountsAtLeastTheCommands() throws Exception {
        open();
        LogEntries entries = new LogEntries();
        for (int i = 0; i < 100; i++) {
            entries.add(new LogEntry(1, new byte[50]));
        }
        assertThat(log.append(1, entries)).isEqualTo(100);
        assertThat(log.sizeInBytes()).isGreaterThanOrEqualTo(50 * 100);
    }

    private final List<Long> visits = new ArrayList<>();

    private List<Long> visited(Runnable walk) {
        visits.clear();
        walk.run();
        return new ArrayList<>(visits);
    }

    void append(int startIndex, int... terms) {
        LogEntries entries = new LogEntries();
        for (int term : terms) {
            entries.add(new LogEntry(term, new byte[10]));
        }
        log.append(startIndex, entries);
    }

    void assertIndices(long first, long last, long commit, long term) {
        assertThat(log.firstAppended()).as("first appended").isEqualTo(first);
        assertThat(log.lastAppended()).as("last appended").isEqualTo(last);
        assertThat(log.commitIndex()).as("commit index").isEqualTo(commit);
        assertThat(log.currentTerm()).as("current term").isEqualTo(term);
    }
}

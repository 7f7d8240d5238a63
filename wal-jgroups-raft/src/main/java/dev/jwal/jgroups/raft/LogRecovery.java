package dev.jwal.jgroups.raft;

import dev.jwal.core.Entry;
import dev.jwal.core.EntryType;
import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalStartup;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Opens a jgroups-raft log directory, or creates it, and brings its three files into agreement.
 * The snapshot file is written before the WAL's snapshot marker, so a crash can leave the marker
 * behind the file, never ahead of it: the marker is then written again, and a reinitialisation
 * that stopped half way (the file says the log starts at an entry the WAL does not have) is
 * finished. A torn tail is repaired once, as etcd's server does; anything else found wrong is
 * thrown, naming the file, and nothing is changed.
 */
final class LogRecovery {

    private static final System.Logger LOG = System.getLogger(JwalRaftLog.class.getName());

    /** What a log directory holds, agreed. */
    record Recovered(Wal wal, MemberTable members, HardState hardState, long firstIndex, long lastIndex,
            ByteBuffer snapshot) {
    }

    /** A WAL opened and replayed, with the last hard state it holds. */
    private record Opened(Wal wal, HardState state, WalSnapshot at) {
    }

    private LogRecovery() {
    }

    static Recovered openOrCreate(Path directory, WalOptions options, byte[] metadata, EntrySizes sizes) {
        Path walDirectory = directory.resolve(JwalRaftLog.WAL_DIRECTORY);
        MemberTable members = MemberTable.load(directory);
        Optional<SnapshotFile.Contents> snapshot = SnapshotFile.load(directory);
        sizes.reset(1);
        if (!WalDirectory.exists(walDirectory, options)) {
            if (snapshot.isPresent() || Files.exists(walDirectory)) {
                throw new RaftLogFileException(walDirectory, -1, snapshot.isPresent()
                        ? "the log was truncated (its snapshot file is there) but its WAL is missing"
                        : "the folder holds no WAL segment");
            }
            Wal wal = Wal.create(walDirectory, metadata, options);
            return new Recovered(wal, members, HardState.EMPTY, 0, 0, null);
        }
        Opened opened = openAndReplay(walDirectory, options, metadata, sizes);
        Wal wal = opened.wal();
        try {
            return agree(directory, wal, opened.state(), opened.at(), members, snapshot, sizes);
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
    }

    /** Opens the WAL at its newest valid snapshot and replays it, a torn tail repaired once, as etcd's server does. */
    private static Opened openAndReplay(Path walDirectory, WalOptions options, byte[] metadata, EntrySizes sizes) {
        WalStartup.Started started = WalStartup.in(walDirectory, options).repairTornTail(true)
                .onRepair(repair -> LOG.log(Level.WARNING, "repaired the torn tail of " + walDirectory + ": " + repair))
                .openExisting(new WalStartup.Handler() {
                    @Override
                    public void metadata(byte[] found) {
                        checkMetadata(walDirectory, found, metadata);
                    }

                    @Override
                    public void entry(Entry entry) {
                        sizes.record(entry.index(), entry.dataLength());
                    }

                    @Override
                    public void truncated(long index) {
                        sizes.dropFrom(index);
                    }
                });
        try {
            checkMetadata(walDirectory, started.replay().metadata(), metadata);
        } catch (RuntimeException e) {
            started.wal().close();
            throw e;
        }
        return new Opened(started.wal(), started.replay().hardState(), started.snapshot());
    }

    private static void checkMetadata(Path walDirectory, byte[] found, byte[] expected) {
        if (!Arrays.equals(found, expected)) {
            throw new RaftLogFileException(walDirectory, -1, "the WAL's metadata is "
                    + (found == null || found.length == 0 ? "empty" : "'" + new String(found, StandardCharsets.UTF_8) + "'")
                    + ", not " + JwalRaftLog.METADATA + ": another program's WAL");
        }
    }

    private static Recovered agree(Path directory, Wal wal, HardState state, WalSnapshot at, MemberTable members,
            Optional<SnapshotFile.Contents> snapshotFile, EntrySizes sizes) {
        long last = Math.max(at.index(), wal.lastIndex());
        if (snapshotFile.isEmpty()) {
            if (at.index() > 0) {
                throw new RaftLogFileException(directory.resolve(SnapshotFile.FILE_NAME), -1, "missing, but the WAL was "
                        + "truncated to index " + Long.toUnsignedString(at.index() + 1));
            }
            return new Recovered(wal, members, state, 0, last, null);
        }
        SnapshotFile.Contents contents = snapshotFile.get();
        long first = contents.firstIndex();
        if (first == 0 && at.index() == 0) {
            // a snapshot stored at close, the log never truncated
            return new Recovered(wal, members, state, 0, last, contents.snapshot());
        }
        if (first < at.index() + 1) {
            throw new RaftLogFileException(directory.resolve(SnapshotFile.FILE_NAME), -1, "it starts the log at "
                    + first + ", behind the WAL's snapshot marker at " + at.index());
        }
        long term = state.term();
        long commit = Math.max(state.commit(), first);
        if (last < first || wal.term(first) != contents.firstTerm()) {
            // A reinitialisation stopped before its entry was saved: finish it.
            term = Math.max(term, contents.firstTerm());
            wal.save(new HardState(term, state.vote(), commit), List.of());
            wal.saveSnapshot(WalSnapshot.of(first - 1, contents.firstTerm()));
            wal.save(new HardState(term, state.vote(), commit),
                    List.of(new Entry(contents.firstTerm(), first, EntryType.NORMAL, new byte[0])));
            sizes.reset(first);
            sizes.record(first, 0);
            last = first;
        } else if (at.index() < first - 1) {
            // A truncation stopped before its marker was saved: save it.
            wal.save(new HardState(term, state.vote(), commit), List.of());
            wal.saveSnapshot(WalSnapshot.of(first - 1, wal.term(first - 1)));
        }
        sizes.dropBefore(first);
        return new Recovered(wal, members, new HardState(term, state.vote(), commit), first, last, contents.snapshot());
    }
}

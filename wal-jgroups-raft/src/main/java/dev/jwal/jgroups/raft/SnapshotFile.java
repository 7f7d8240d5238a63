package dev.jwal.jgroups.raft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * jgroups-raft's snapshot together with the first index it leaves in the log, in one file
 * replaced atomically. RAFT recovers by loading the snapshot and applying the entries after the
 * log's first index; a snapshot stored apart from that index (as FileBasedLog does) is paired
 * with the wrong first index by a crash between the two writes, and entries are applied twice or
 * skipped. Here the one rename is the truncation's commit point.
 */
final class SnapshotFile {

    static final String FILE_NAME = "snapshot";
    private static final String KIND = "JWSN";

    /**
     * What the file holds: the log's first index, that entry's term, and the snapshot (null
     * when the log was truncated without one).
     */
    record Contents(long firstIndex, long firstTerm, ByteBuffer snapshot) {
    }

    private SnapshotFile() {
    }

    /** The file in {@code directory}, or empty when the log was never truncated. */
    static Optional<Contents> load(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        return SealedFile.open(file, KIND).map(payload -> {
            if (payload.remaining() < 8 + 8 + 1) {
                throw new RaftLogFileException(file, 9, "its payload of " + payload.remaining()
                        + " bytes is too short for a first index, a term and a snapshot flag");
            }
            long first = payload.getLong();
            long term = payload.getLong();
            boolean present = payload.get() != 0;
            ByteBuffer snapshot = present ? payload.slice() : null;
            return new Contents(first, term, snapshot);
        });
    }

    /** Replaces the file in {@code directory} with {@code contents}, durably. */
    static void store(Path directory, Contents contents) throws IOException {
        ByteBuffer snapshot = contents.snapshot() == null ? null : contents.snapshot().duplicate();
        int size = snapshot == null ? 0 : snapshot.remaining();
        ByteBuffer payload = ByteBuffer.allocate(8 + 8 + 1 + size);
        payload.putLong(contents.firstIndex()).putLong(contents.firstTerm()).put((byte) (snapshot == null ? 0 : 1));
        if (snapshot != null) {
            payload.put(snapshot);
        }
        AtomicFile.write(directory.resolve(FILE_NAME), SealedFile.seal(KIND, payload.array()));
    }
}

package dev.jwal.jgroups.raft;

import dev.jwal.core.WalException;
import java.nio.file.Path;

/**
 * A file of a jgroups-raft log directory cannot be used as it stands: a member table or snapshot
 * file that fails its checksum or is cut short, a WAL that another API wrote, or files that
 * disagree with each other. {@link #file()} names the file and {@link #offset()} the byte where
 * reading stopped, when there is one. Nothing is changed on disk when this is thrown.
 */
public class RaftLogFileException extends WalException {

    private static final long serialVersionUID = 1L;

    /** An error about {@code file}, at {@code offset} or -1 when no byte is to blame. */
    public RaftLogFileException(Path file, long offset, String why) {
        super("jgroups-raft log: " + why, file, offset, null);
    }

    /** An error about {@code file}, caused by {@code cause}. */
    public RaftLogFileException(Path file, String why, Throwable cause) {
        super("jgroups-raft log: " + why, file, -1, cause);
    }
}

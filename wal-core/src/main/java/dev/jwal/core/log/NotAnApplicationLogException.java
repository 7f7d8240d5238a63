package dev.jwal.core.log;

import dev.jwal.core.WalException;
import java.nio.file.Path;

/**
 * A directory whose WAL was not written through {@link WalLog}: its metadata is another
 * program's, or its log overwrites itself as raft's does. One API per directory: a raft node's WAL
 * is opened with {@link dev.jwal.core.Wal}.
 */
public class NotAnApplicationLogException extends WalException {

    public NotAnApplicationLogException(Path directory, String why) {
        super("wal log: " + directory + " does not hold an application log: " + why
                + "; open it with Wal, the API that wrote it");
    }
}

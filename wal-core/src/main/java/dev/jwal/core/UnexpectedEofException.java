package dev.jwal.core;

import java.nio.file.Path;

/**
 * The log ends inside a record: etcd's {@code io.ErrUnexpectedEOF}. A plain instance is a torn
 * tail: the last segment ends in a record that was never completely written (a power loss
 * between a write and its fsync) and nothing readable follows it; opening for writing refuses it,
 * and {@link WalDirectory#repair(Path)} cuts it off after keeping a {@code .broken} copy. Two subclasses
 * keep etcd's kind for what etcd reads the same way but is corruption, which nothing cuts:
 * {@link ReadableAfterDamageException} and {@link SegmentTruncatedException}. {@link WalVerdict}
 * tells them apart.
 */
public class UnexpectedEofException extends WalException {

    private final String notTornBecause;

    /** A torn tail. */
    public UnexpectedEofException(String reason, Path file, long offset) {
        this(reason, file, offset, null, null);
    }

    /**
     * etcd's unexpected EOF for damage that is not a torn tail, saying why it cannot be one;
     * {@code null} for a torn tail.
     */
    public static UnexpectedEofException notTorn(String reason, String notTornBecause, Path file, long offset) {
        return new UnexpectedEofException(reason + "; not a torn write: " + notTornBecause, file, offset, null,
                notTornBecause);
    }

    protected UnexpectedEofException(String reason, Path file, long offset, Throwable cause, String notTornBecause) {
        super("unexpected EOF: " + reason, file, offset, cause);
        this.notTornBecause = notTornBecause;
    }

    /**
     * Whether this is a torn tail that repair may cut: the damage is in the last segment, past
     * its header, and no readable record follows it.
     */
    public boolean isTornTail() {
        return notTornBecause == null;
    }
}

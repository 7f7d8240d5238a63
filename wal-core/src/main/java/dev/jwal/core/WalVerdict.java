package dev.jwal.core;

import java.util.Optional;

/**
 * What a WAL directory is, decided once and said the same way by every entry point: startup
 * recovery, {@link WalDirectory#verifyOrThrow}, {@link WalDirectory#repair}, the Actuator endpoint and the {@code jwal}
 * command ({@link WalDirectory#examine}).
 *
 * @param kind the verdict
 * @param problem what decided it, for every kind but {@link Kind#CLEAN}
 * @param hardState the last hard state read before the problem, or the last of the log
 * @param records the records read before the problem
 * @param entries the entries read before the problem (after the snapshot, when there is one)
 */
public record WalVerdict(Kind kind, WalException problem, HardState hardState, long records, long entries) {

    /** The five things a WAL directory can be. */
    public enum Kind {
        /** Every segment reads to its end; the log can be opened and appended to. */
        CLEAN("clean"),
        /**
         * The last segment ends in a record that was never completely written, and nothing
         * readable follows it: repair may cut it off (and startup does, when configured to).
         */
        TORN_TAIL("torn-tail"),
        /**
         * Damage that is not a torn write: a checksum, frame, record, header or segment sequence
         * that cannot be what a writer made, a truncated segment that is not the last, or damage
         * with readable records after it. Nothing cuts it without an explicit override.
         */
        CORRUPT("corrupt"),
        /** The log reads, but holds no marker of the snapshot asked for (or one of another term). */
        SNAPSHOT_NOT_FOUND("snapshot-not-found"),
        /** It could not be read: no segments, a read error, a lock, a missing directory. */
        CANNOT_READ("cannot-read");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The verdict's name as the command line and the endpoint print it. */
        public String label() {
            return label;
        }
    }

    /** The verdict an error stands for, wherever it was raised. */
    public static Kind kindOf(WalException problem) {
        if (problem == null) {
            return Kind.CLEAN;
        }
        if (problem instanceof UnexpectedEofException eof) {
            return eof.isTornTail() ? Kind.TORN_TAIL : Kind.CORRUPT;
        }
        if (problem instanceof WalCorruptionException || problem instanceof FileSequenceGapException) {
            return Kind.CORRUPT;
        }
        if (problem instanceof SnapshotNotFoundException || problem instanceof SnapshotMismatchException) {
            return Kind.SNAPSHOT_NOT_FOUND;
        }
        return Kind.CANNOT_READ;
    }

    /** The verdict of an error, with nothing read. */
    public static WalVerdict of(WalException problem) {
        return new WalVerdict(kindOf(problem), problem, HardState.EMPTY, 0, 0);
    }

    /** What decided the verdict, unless it is clean. */
    public Optional<WalException> cause() {
        return Optional.ofNullable(problem);
    }

    /** Whether a node could start on it as it is. */
    public boolean isClean() {
        return kind == Kind.CLEAN;
    }
}

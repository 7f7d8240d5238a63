package dev.jwal.core;

/**
 * A write or fsync failed earlier, so the WAL refuses every further append and sync: after a
 * failed fsync the kernel may have dropped the dirty pages, and a retry could report success for
 * data that never reached the disk. The cause is the first failure. Close the WAL and reopen it:
 * recovery reads what is durable.
 */
public class WalPoisonedException extends WalException {

    public WalPoisonedException(Throwable firstFailure) {
        super("wal: poisoned by an earlier failure, refusing to append or sync: " + firstFailure.getMessage(),
                firstFailure);
    }
}

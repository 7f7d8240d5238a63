package dev.jwal.core;

/**
 * The calling thread was interrupted while it waited for the WAL. Only the wait ended: the WAL
 * carries on, and the thread's interrupt flag is set again. {@link #submitted()} says whether the
 * request had been handed to the log writer: if it had, it may or may not be durable, exactly as
 * after a time-out, and recovery (or a later read) tells which; if not, nothing of it was written.
 */
public class WalInterruptedException extends WalException {

    private final boolean submitted;

    public WalInterruptedException(String what, boolean submitted, InterruptedException cause) {
        super("wal: interrupted while waiting for " + what + (submitted
                ? "; it was submitted and may or may not be durable"
                : "; it was not submitted and nothing of it was written"), cause);
        this.submitted = submitted;
    }

    /** Whether the request reached the log writer before the wait was interrupted. */
    public boolean submitted() {
        return submitted;
    }
}

package dev.jwal.cli;

/** What jwal's exit status means; verify's 0, 1 and 2 are the ones scripts test. */
final class ExitCodes {

    /** Done; for verify: the log is clean. */
    static final int OK = 0;
    /** verify: the log ends in a torn record that repair can cut off. */
    static final int REPAIRABLE = 1;
    /** verify: the log is corrupt; repair cannot help. */
    static final int CORRUPT = 2;
    /** The command could not run: no such directory, no WAL files, an unreadable file, a refusal. */
    static final int FAILED = 3;
    /** The command line itself is wrong (EX_USAGE). */
    static final int USAGE = 64;

    private ExitCodes() {
    }
}

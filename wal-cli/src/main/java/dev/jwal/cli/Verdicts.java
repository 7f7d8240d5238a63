package dev.jwal.cli;

import dev.jwal.core.ReadableAfterDamageException;
import dev.jwal.core.WalException;
import dev.jwal.core.WalVerdict;
import java.nio.file.Path;

/**
 * A {@link WalVerdict} as the commands say it: the same exit status, ending and advice from
 * verify, dump and repair, so that a directory is called one thing whichever command looked.
 */
final class Verdicts {

    private Verdicts() {
    }

    /** verify's exit status for a verdict. */
    static int exitCode(WalVerdict.Kind kind) {
        return switch (kind) {
            case CLEAN -> ExitCodes.OK;
            case TORN_TAIL -> ExitCodes.REPAIRABLE;
            case CORRUPT, SNAPSHOT_NOT_FOUND -> ExitCodes.CORRUPT;
            case CANNOT_READ -> ExitCodes.FAILED;
        };
    }

    /** The exit status of a command that failed with {@code e}: corruption is verify's "corrupt". */
    static int exitCode(Exception e) {
        return e instanceof WalException w ? Math.max(exitCode(WalVerdict.kindOf(w)), ExitCodes.CORRUPT)
                : ExitCodes.FAILED;
    }

    /** How the log ends: "clean", or the verdict and where. */
    static String ending(WalVerdict verdict) {
        WalException problem = verdict.problem();
        if (problem == null) {
            return verdict.kind().label();
        }
        String where = problem.file().map(f -> " at " + f.getFileName()).orElse("")
                + (problem.offset() < 0 ? "" : " offset " + problem.offset());
        return verdict.kind().label() + where;
    }

    /** Every field a verdict has beyond its name: where it stopped, why, what follows, what to do. */
    static void print(Printer printer, Path directory, WalVerdict verdict) {
        WalException problem = verdict.problem();
        printer.field("stoppedAt", problem == null ? null : Views.place(problem));
        printer.field("reason", problem == null ? null : problem.getMessage());
        if (problem instanceof ReadableAfterDamageException damage) {
            printer.field("readableAfterDamage", Views.readable(damage.readable()));
        }
        printer.field("hint", hint(directory, verdict));
    }

    /** What an operator can do about it, or null when there is nothing to do. */
    static String hint(Path directory, WalVerdict verdict) {
        return switch (verdict.kind()) {
            case CLEAN -> null;
            case TORN_TAIL -> "run 'jwal repair " + directory + "' to cut the torn record off";
            case CORRUPT -> verdict.problem() instanceof ReadableAfterDamageException
                    ? "nothing was cut: restore this directory from a replica or a backup, or run 'jwal repair"
                            + " --discard-readable " + directory + "' to cut at the damage and lose the readable"
                            + " records after it"
                    : "repair cannot help: restore this directory from a replica or a backup";
            case SNAPSHOT_NOT_FOUND -> "open at a snapshot the WAL holds: 'jwal snapshots " + directory + "'";
            case CANNOT_READ -> null;
        };
    }
}

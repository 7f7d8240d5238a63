package dev.jwal.cli;

import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalException;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalVerdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jwal verify DIR}: reads everything, says whether a node could start on it. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = { "Read the WAL as a restarting node would, at the snapshot it opens at (--snap-index, or the"
                + " newest valid snapshot marker), from the oldest segment to the end,"
                + " checking every frame, CRC, segment header and link, the metadata and the snapshot marker, and"
                + " say what it is: clean, torn-tail (repair can cut it off), corrupt (repair cannot: damage that"
                + " is not a torn write, including damage with readable records after it), snapshot-not-found."
                + " Reads only; takes no lock.",
                "Exit status: 0 clean, 1 torn tail, 2 corrupt or snapshot not found, 3 could not read." })
final class VerifyCommand extends WalDirectoryCommand {

    @Mixin
    SnapshotOptions snapshotOptions;

    @Override
    int run(Printer printer) {
        WalSnapshot snapshot;
        WalVerdict verdict;
        try {
            snapshot = snapshotOptions.resolveAsStartup(directory, inspector, options);
            verdict = WalDirectory.examine(directory, snapshot, options);
        } catch (WalException e) {
            if (WalVerdict.kindOf(e) != WalVerdict.Kind.CORRUPT) {
                throw e;
            }
            // A directory too damaged to choose a snapshot in is still verify's to judge: over every
            // segment from the oldest, as startup and repair judge it (after a purge no segment
            // starts at index 0, so reading at the zero snapshot could only say "cannot read").
            snapshot = null;
            verdict = WalDirectory.examine(directory, options);
        }
        if (verdict.kind() == WalVerdict.Kind.CANNOT_READ) {
            throw verdict.problem();
        }
        printer.field("verdict", verdict.kind().label());
        printer.field("snapshot", snapshot == null ? null : Views.snapshot(snapshot));
        printer.field("records", verdict.records());
        printer.field("entries", verdict.entries());
        boolean stateKnown = verdict.kind() == WalVerdict.Kind.CLEAN || verdict.kind() == WalVerdict.Kind.TORN_TAIL;
        printer.field("hardState", stateKnown ? Views.hardState(verdict.hardState()) : null);
        Verdicts.print(printer, directory, verdict);
        return Verdicts.exitCode(verdict.kind());
    }
}

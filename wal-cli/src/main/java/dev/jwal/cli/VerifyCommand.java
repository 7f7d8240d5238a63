package dev.jwal.cli;

import dev.jwal.core.HardState;
import dev.jwal.core.SnapshotMismatchException;
import dev.jwal.core.SnapshotNotFoundException;
import dev.jwal.core.Wal;
import dev.jwal.core.WalCorruptionException;
import dev.jwal.core.WalException;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.inspect.RecordKind;
import dev.jwal.core.inspect.ScanOutcome;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jwal verify DIR}: reads everything, says whether a node could start on it. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = { "Read the WAL from the segment holding the snapshot to the end, checking every frame, CRC,"
                + " segment link, the metadata and the snapshot marker. Reads only; takes no lock.",
                "Exit status: 0 clean, 1 torn tail (repair can cut it off), 2 corrupt or snapshot not found." })
final class VerifyCommand extends WalDirectoryCommand {

    @Mixin
    SnapshotOptions snapshotOptions;

    @Override
    int run(Printer printer) {
        WalSnapshot snapshot = snapshotOptions.resolve(directory, inspector, options);
        AtomicLong records = new AtomicLong();
        AtomicLong entries = new AtomicLong();
        ScanOutcome outcome = inspector.scanFrom(directory, snapshot.index(), record -> {
            records.incrementAndGet();
            if (record.kind() == RecordKind.ENTRY) {
                entries.incrementAndGet();
            }
        });
        String verdict;
        int status;
        HardState state = null;
        WalException problem = outcome.problem();
        if (outcome.ending() == ScanOutcome.Ending.CORRUPT) {
            verdict = "corrupt";
            status = ExitCodes.CORRUPT;
        } else {
            try {
                state = Wal.verify(directory, snapshot, options);
                verdict = outcome.isClean() ? "clean" : "torn-tail";
                status = outcome.isClean() ? ExitCodes.OK : ExitCodes.REPAIRABLE;
            } catch (SnapshotNotFoundException | SnapshotMismatchException | WalCorruptionException e) {
                verdict = e instanceof WalCorruptionException ? "corrupt" : "snapshot-not-found";
                status = ExitCodes.CORRUPT;
                problem = e;
            }
        }
        printer.field("verdict", verdict);
        printer.field("snapshot", Views.snapshot(snapshot));
        printer.field("records", records.get());
        printer.field("entries", entries.get());
        printer.field("hardState", state == null ? null : Views.hardState(state));
        printer.field("stoppedAt", problem == null ? null : Views.place(problem));
        printer.field("reason", problem == null ? null : problem.getMessage());
        if (status == ExitCodes.REPAIRABLE) {
            printer.field("hint", "run 'jwal repair " + directory + "' to cut the torn record off");
        }
        return status;
    }
}

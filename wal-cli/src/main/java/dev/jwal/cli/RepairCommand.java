package dev.jwal.cli;

import dev.jwal.core.RepairResult;
import dev.jwal.core.Wal;
import dev.jwal.core.inspect.ScanOutcome;
import dev.jwal.core.inspect.SegmentFile;
import dev.jwal.core.inspect.SegmentReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jwal repair DIR}: cuts a torn tail off the last segment, after saying what it will cut. */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Cut a torn last record off the last segment, as etcd's Repair: the whole segment is first"
                + " copied to <segment>.broken. Says what it will cut and asks before doing it. Corruption is"
                + " never 'repaired'. Stop the process that owns the WAL first: repair takes its lock.")
final class RepairCommand extends WalDirectoryCommand {

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    int run(Printer printer) throws IOException {
        List<SegmentFile> segments = inspector.segmentFiles(directory);
        if (segments.isEmpty()) {
            throw new dev.jwal.core.NoWalFilesException(directory.toAbsolutePath(), "no .wal files in the directory");
        }
        SegmentFile last = segments.get(segments.size() - 1);
        SegmentReport report = inspector.segment(directory, last.name()).orElseThrow();
        ScanOutcome outcome = report.outcome();
        printer.field("segment", last.path().toString());
        if (outcome.isClean()) {
            // Through Wal.repair all the same: it takes the WAL's lock, so a WAL that a running
            // process holds is refused (exit 3, naming the lock) rather than called clean.
            RepairResult result = Wal.repair(directory, options);
            printer.field("result", result.truncated() ? "repaired: cut at offset " + result.truncatedAt()
                    : "nothing to repair: the last segment ends cleanly");
            return ExitCodes.OK;
        }
        if (outcome.ending() == ScanOutcome.Ending.CORRUPT) {
            printer.field("result", "not repaired: the segment is corrupt, not torn; repair cannot help");
            printer.field("reason", outcome.problem().getMessage());
            return ExitCodes.CORRUPT;
        }
        long cut = outcome.validEnd();
        printer.field("torn", outcome.problem().getMessage());
        printer.field("cutAt", cut);
        printer.field("bytesLost", last.size() - cut);
        printer.field("brokenCopy", last.path() + ".broken");
        if (!yes && !confirmed(last, last.size() - cut)) {
            printer.field("result", "not repaired: not confirmed (use --yes to skip the question)");
            return ExitCodes.FAILED;
        }
        RepairResult result = Wal.repair(directory, options);
        printer.field("result", result.truncated()
                ? "repaired: cut at offset " + result.truncatedAt() + ", " + result.bytesRemoved() + " bytes removed"
                : "nothing to repair");
        result.broken().ifPresent(broken -> printer.field("kept", broken.toString()));
        return ExitCodes.OK;
    }

    private boolean confirmed(SegmentFile segment, long bytes) throws IOException {
        var err = spec.commandLine().getErr();
        err.print("Cut " + bytes + " bytes off " + segment.name() + "? [y/N] ");
        err.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }
}

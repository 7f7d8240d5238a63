package dev.jwal.cli;

import dev.jwal.core.ReadableAfterDamageException;
import dev.jwal.core.ReadableRecords;
import dev.jwal.core.RepairResult;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalException;
import dev.jwal.core.WalVerdict;
import dev.jwal.core.inspect.SegmentFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jwal repair DIR}: cuts a torn tail off the last segment, after saying what it will cut. */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Cut a torn last record off the last segment, as etcd's Repair, but only a torn write: damage"
                + " with nothing readable after it. The whole segment is first copied to <segment>.broken. Says what"
                + " it will cut and asks before doing it. Corruption is never 'repaired': with --discard-readable,"
                + " damage to a record of the last segment is cut off with the readable records after it, once you"
                + " have confirmed what will be lost. Stop the process that owns the WAL first: repair takes its lock.")
final class RepairCommand extends WalDirectoryCommand {

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--discard-readable", description = "Also cut damage in the last segment that has readable"
            + " records after it, losing them (when no replica or backup holds them). Says which first.")
    boolean discardReadable;

    @Override
    int run(Printer printer) throws IOException {
        List<SegmentFile> segments = inspector.segmentFiles(directory);
        if (segments.isEmpty()) {
            throw new dev.jwal.core.NoWalFilesException(directory.toAbsolutePath(), "no .wal files in the directory");
        }
        SegmentFile last = segments.get(segments.size() - 1);
        WalVerdict verdict = WalDirectory.examine(directory, options);
        WalException problem = verdict.problem();
        printer.field("segment", last.path().toString());
        printer.field("verdict", verdict.kind().label());
        switch (verdict.kind()) {
            case CLEAN -> {
                // Through WalDirectory.repair all the same: it takes the WAL's lock, so a WAL that a running
                // process holds is refused (exit 3, naming the lock) rather than called clean.
                RepairResult result = WalDirectory.repair(directory, options);
                printer.field("result", result.truncated() ? "repaired: cut at offset " + result.truncatedAt()
                        : "nothing to repair: every segment reads to its end");
                return ExitCodes.OK;
            }
            case TORN_TAIL -> {
                return cut(printer, last, problem, ReadableRecords.NONE, false);
            }
            case CORRUPT -> {
                if (!discardReadable) {
                    printer.field("result", "not repaired: the WAL is corrupt, not torn; nothing was changed");
                    Verdicts.print(printer, directory, verdict);
                    return ExitCodes.CORRUPT;
                }
                ReadableRecords lost = problem instanceof ReadableAfterDamageException damage ? damage.readable()
                        : ReadableRecords.NONE;
                return cut(printer, last, problem, lost, true);
            }
            default -> throw problem;
        }
    }

    private int cut(Printer printer, SegmentFile last, WalException problem, ReadableRecords lost, boolean discard)
            throws IOException {
        long cut = problem.offset();
        printer.field(discard ? "damage" : "torn", problem.getMessage());
        printer.field("cutAt", cut);
        printer.field("bytesLost", last.size() - cut);
        if (discard) {
            printer.field("readableRecordsLost", Views.readable(lost));
        }
        printer.field("brokenCopy", last.path() + ".broken");
        String question = "Cut " + (last.size() - cut) + " bytes off " + last.name()
                + (lost.any() ? ", losing " + lost.describe() + " that read back intact" : "") + "? [y/N] ";
        if (!yes && !confirmed(question)) {
            printer.field("result", "not repaired: not confirmed (use --yes to skip the question)");
            return ExitCodes.FAILED;
        }
        RepairResult result = discard ? WalDirectory.repairDiscardingReadable(directory, options)
                : WalDirectory.repair(directory, options);
        printer.field("result", result.truncated()
                ? "repaired: cut at offset " + result.truncatedAt() + ", " + result.bytesRemoved() + " bytes removed"
                : "nothing to repair");
        result.broken().ifPresent(broken -> printer.field("kept", broken.toString()));
        return ExitCodes.OK;
    }

    private boolean confirmed(String question) throws IOException {
        var err = spec.commandLine().getErr();
        err.print(question);
        err.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }
}

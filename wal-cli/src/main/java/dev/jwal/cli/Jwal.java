package dev.jwal.cli;

import dev.jwal.core.WalException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jwal}: looks inside, verifies and repairs an etcd-format WAL directory, jwal's or etcd's.
 * Only {@code repair} writes, and only after it has said what it will cut.
 */
@Command(name = "jwal", mixinStandardHelpOptions = true, version = "jwal 0.1.0",
        description = "Inspect, verify and repair an etcd-format write-ahead log.",
        subcommands = { SegmentsCommand.class, DumpCommand.class, VerifyCommand.class, RepairCommand.class,
                SnapshotsCommand.class, CommandLine.HelpCommand.class },
        footer = { "", "Exit status: 0 done (verify: clean), 1 verify: torn tail, repairable,"
                + " 2 verify: corrupt, 3 could not run, 64 bad command line." })
public final class Jwal implements Runnable {

    /** Held so that the level set in {@link #main} is not lost to garbage collection. */
    private static final java.util.logging.Logger CORE_LOGGER = java.util.logging.Logger.getLogger("dev.jwal");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The commands say what the core did in their own output; its log lines would repeat it on
        // standard error, where scripts look for failures.
        CORE_LOGGER.setLevel(java.util.logging.Level.OFF);
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(new Jwal());
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler(Jwal::oneLine);
        line.setParameterExceptionHandler((ex, ignored) -> {
            err.println("jwal: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return ExitCodes.USAGE;
        });
        return line.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A failure is one line naming what and where; the stack trace only with --verbose. */
    private static int oneLine(Exception e, CommandLine line, CommandLine.ParseResult parsed) {
        PrintWriter err = line.getErr();
        err.println("jwal: " + describe(e));
        boolean verbose = parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose");
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        // Damage found by a read-only command is verify's "corrupt"; everything else could not run.
        return Verdicts.exitCode(e);
    }

    private static String describe(Exception e) {
        if (e instanceof WalException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}

package dev.jwal.cli;

import dev.jwal.core.WalException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
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
            // One line and where to look, not the whole usage text: the mistake stays on screen.
            err.println("jwal: " + ex.getMessage());
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for its options.");
            err.flush();
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
        CommandLine.ParseResult command = parsed.subcommand();
        boolean verbose = command != null && command.hasMatchedOption("--verbose");
        // Damage found by a read-only command is verify's "corrupt"; everything else could not run.
        int status = Verdicts.exitCode(e);
        if (command != null && command.matchedOptionValue("--format", Printer.Format.TABLE) == Printer.Format.JSON) {
            // Scripts that asked for JSON parse the failure too.
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", describe(e));
            error.put("exitCode", status);
            if (verbose) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                error.put("stackTrace", trace.toString());
            }
            err.println(Json.write(error));
        } else {
            err.println("jwal: " + describe(e));
            if (verbose) {
                e.printStackTrace(err);
            }
        }
        err.flush();
        return status;
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

package dev.jwal.cli;

import dev.jwal.core.FrameRule;
import dev.jwal.core.NoWalFilesException;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import dev.jwal.core.inspect.WalInspector;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command on one WAL directory: checks that it is one, then runs with a printer.
 *
 * <p>Read-only commands run beside a live writer, which cuts new segments and purges old ones
 * while they read. A run during which a segment disappeared may have seen a directory that never
 * existed at any one moment (a gap where a purge raced the listing, a file gone before it was
 * opened), so its output is thrown away and the command runs again; only a run during which no
 * segment was removed is printed.
 */
abstract class WalDirectoryCommand implements Callable<Integer> {

    /** Runs that saw a purge before giving up: a writer purging this often leaves no stable view. */
    private static final int MAX_ATTEMPTS = 20;

    @Parameters(index = "0", paramLabel = "DIR", description = "The WAL directory (the one holding the .wal files).")
    Path directory;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Option(names = "--etcd-3.4", description = "Read frames as etcd 3.4 does: one of 10 MiB or more is corrupt"
            + " whatever the file holds (default: bounded by the bytes left in the file, as etcd 3.5.5 and later).")
    boolean etcd34;

    /** The options commands read with; set from the command line before {@link #run}. */
    WalOptions options = WalOptions.defaults();

    /** The inspector over {@link #options}. */
    WalInspector inspector = new WalInspector(options);

    @Override
    public final Integer call() throws Exception {
        if (etcd34) {
            options = WalOptions.builder().frameRule(FrameRule.ETCD_3_4).build();
            inspector = new WalInspector(options);
        }
        if (!Files.exists(directory)) {
            throw new NoSuchFileException(directory.toString());
        }
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(directory + " (give the directory that holds the .wal files)");
        }
        if (segmentNames().isEmpty()) {
            // Every command, segments and snapshots too: an empty listing would read as a WAL with
            // nothing in it, where there is no WAL at all.
            throw new NoWalFilesException(directory, "no .wal segment in " + directory
                    + " (give the directory that holds the .wal files)");
        }
        for (int attempt = 1;; attempt++) {
            Set<String> before = segmentNames();
            StringWriter buffer = new StringWriter();
            Printer printer = new Printer(output.format, new PrintWriter(buffer));
            int status;
            try {
                status = run(printer);
            } catch (Exception e) {
                if (purgedSince(before, attempt)) {
                    continue;
                }
                throw e;
            }
            if (purgedSince(before, attempt)) {
                continue;
            }
            printer.finish();
            PrintWriter out = spec.commandLine().getOut();
            out.print(buffer);
            out.flush();
            return status;
        }
    }

    abstract int run(Printer printer) throws Exception;

    /**
     * True, after a note on standard error, when a segment listed before the run is gone now:
     * the run must be repeated. Throws when that has happened too often to go on.
     */
    private boolean purgedSince(Set<String> before, int attempt) throws IOException {
        Set<String> gone = new HashSet<>(before);
        gone.removeAll(segmentNames());
        if (gone.isEmpty()) {
            return false;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("jwal: note: " + gone.stream().sorted().findFirst().orElseThrow() + (gone.size() > 1
                ? " and " + (gone.size() - 1) + " more" : "") + " purged while reading; reading again");
        err.flush();
        if (attempt >= MAX_ATTEMPTS) {
            throw new IOException("segments of " + directory + " were purged while reading, " + attempt
                    + " times in a row; run the command again");
        }
        return true;
    }

    private Set<String> segmentNames() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            Set<String> names = new HashSet<>();
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".wal")).forEach(names::add);
            return names;
        }
    }
}

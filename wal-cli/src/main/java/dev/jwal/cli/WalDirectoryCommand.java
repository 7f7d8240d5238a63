package dev.jwal.cli;

import dev.jwal.core.WalOptions;
import dev.jwal.core.inspect.WalInspector;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A command on one WAL directory: checks that it is one, then runs with a printer. */
abstract class WalDirectoryCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The WAL directory (the one holding the .wal files).")
    Path directory;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    final WalOptions options = WalOptions.defaults();

    final WalInspector inspector = new WalInspector(options);

    @Override
    public final Integer call() throws Exception {
        if (!Files.exists(directory)) {
            throw new NoSuchFileException(directory.toString());
        }
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(directory + " (give the directory that holds the .wal files)");
        }
        Printer printer = new Printer(output.format, spec.commandLine().getOut());
        int status = run(printer);
        printer.finish();
        return status;
    }

    abstract int run(Printer printer) throws Exception;
}

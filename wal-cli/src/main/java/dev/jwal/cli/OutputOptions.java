package dev.jwal.cli;

import picocli.CommandLine.Option;

/** The options every command shares: how to print, and how much to say when something fails. */
final class OutputOptions {

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "Output format: aligned tables for a terminal, or JSON for scripts (default: ${DEFAULT-VALUE}).",
            converter = FormatConverter.class)
    Printer.Format format = Printer.Format.TABLE;

    @Option(names = "--verbose", description = "On failure, print the stack trace too (with --format json,"
            + " a 'stackTrace' member of the error object).")
    boolean verbose;

    /** Accepts the formats in any case. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Printer.Format> {
        @Override
        public Printer.Format convert(String value) {
            return Converters.oneOf(Printer.Format.class, value);
        }
    }
}

package dev.jwal.cli;

import dev.jwal.core.WalSnapshot;
import picocli.CommandLine.Option;

/** The snapshot to read from, as a restarting node opens its WAL at one. */
final class SnapshotOptions {

    @Option(names = "--snap-index", defaultValue = "0", paramLabel = "INDEX",
            description = "Start at the snapshot of this index, as ReadAll would (default: ${DEFAULT-VALUE}).")
    long index;

    @Option(names = "--snap-term", defaultValue = "0", paramLabel = "TERM",
            description = "The term of that snapshot (default: ${DEFAULT-VALUE}).")
    long term;

    WalSnapshot snapshot() {
        return new WalSnapshot(index, term, null);
    }
}

package dev.jwal.sample;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Startup refusals of the sample's own, said as an operator needs them instead of a stack trace. */
public class SampleFailureAnalyzer extends AbstractFailureAnalyzer<IllegalStateException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, IllegalStateException cause) {
        if (cause instanceof DataDirectoryInUseException inUse) {
            return new FailureAnalysis(inUse.getMessage() + ". Nothing in it was read or changed.",
                    "Stop the other instance, or give this one its own directory with --app.data-dir=DIR.", inUse);
        }
        if (cause instanceof SnapshotsWithoutWalException missing) {
            return new FailureAnalysis(missing.getMessage() + ". Nothing was created or changed.",
                    "Put the WAL back in " + missing.walDirectory() + " (from a backup), or, to start empty on "
                            + "purpose, move the snapshots out of " + missing.snapshotDirectory() + ".", missing);
        }
        return null;
    }
}

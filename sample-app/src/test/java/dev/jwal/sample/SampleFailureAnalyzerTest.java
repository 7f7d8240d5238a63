package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The sample's startup refusals read as an operator needs them, whatever wraps them. */
class SampleFailureAnalyzerTest {

    private final SampleFailureAnalyzer analyzer = new SampleFailureAnalyzer();

    @Test
    void aWalMissingBesideSnapshotsSaysWhatToRestoreOrMove() {
        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("kvRecovery",
                new SnapshotsWithoutWalException(Path.of("/srv/kv/wal"), Path.of("/srv/kv/snap"), 2)));
        assertThat(analysis.getDescription()).contains("/srv/kv/wal holds no WAL", "2 snapshot(s)",
                "Nothing was created or changed");
        assertThat(analysis.getAction()).contains("Put the WAL back in /srv/kv/wal",
                "move the snapshots out of /srv/kv/snap");
    }

    @Test
    void aDataDirectoryInUseSaysWhoHoldsIt() {
        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("dataDirectoryLock",
                new DataDirectoryInUseException(Path.of("/srv/kv"))));
        assertThat(analysis.getDescription()).contains("/srv/kv is in use", "/srv/kv/.lock",
                "Nothing in it was read or changed");
        assertThat(analysis.getAction()).contains("--app.data-dir=");
    }

    @Test
    void otherFailuresAreLeftToTheirOwnAnalyzers() {
        assertThat(analyzer.analyze(new BeanCreationException("x", new IllegalStateException("other")))).isNull();
    }
}

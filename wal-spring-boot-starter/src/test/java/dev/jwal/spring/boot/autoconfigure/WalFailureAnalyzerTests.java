package dev.jwal.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.CrcMismatchException;
import dev.jwal.core.FileSequenceGapException;
import dev.jwal.core.HardState;
import dev.jwal.core.ReadableAfterDamageException;
import dev.jwal.core.ReadableRecords;
import dev.jwal.core.SegmentTruncatedException;
import dev.jwal.core.SnapshotNotFoundException;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.Wal;
import dev.jwal.core.WalIoException;
import dev.jwal.core.WalLockedException;
import dev.jwal.core.WalSnapshot;
import java.net.URL;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

class WalFailureAnalyzerTests {

    private static final Path SEGMENT = Path.of("/var/lib/app/wal/0000000000000000-0000000000000000.wal");

    @TempDir
    Path temp;

    private final WalFailureAnalyzer analyzer = new WalFailureAnalyzer();

    private FailureAnalysis analyze(Throwable cause) {
        return analyzer.analyze(new BeanCreationException("wal", "Failed to instantiate", cause));
    }

    @Test
    void aLockedWalNamesTheSegmentAndSaysWhatToStop() {
        FailureAnalysis analysis = analyze(new WalLockedException(SEGMENT));
        assertThat(analysis.getDescription()).contains(SEGMENT.toString()).contains("locked by another writer");
        assertThat(analysis.getAction()).contains("Stop the other process").contains("wal.directory");
    }

    @Test
    void aTornTailSaysRepairCanHelpAndHow() {
        FailureAnalysis analysis = analyze(new UnexpectedEofException("the file ends inside a frame", SEGMENT, 4096));
        assertThat(analysis.getDescription()).contains("torn record").contains("offset 4096");
        assertThat(analysis.getAction()).contains("Repair can fix this")
                .contains("`jwal repair /var/lib/app/wal`").contains("The jwal command").contains("wal.repair-torn-tail=true");
    }

    @Test
    void damageWithReadableRecordsAfterItNamesThemAndBothWaysOut() {
        ReadableRecords readable = new ReadableRecords(12, 2048, 4096, 30, 39, new HardState(3, 1, 38));
        FailureAnalysis analysis = analyze(new ReadableAfterDamageException("a 512-byte sector of the record"
                + " is all zeros", SEGMENT, 1024, readable));
        assertThat(analysis.getDescription()).contains("offset 1024").contains("12 records").contains("entries 30-39")
                .contains("corruption").contains("nothing was cut");
        assertThat(analysis.getAction()).contains("restore this node's WAL directory from a backup or a peer")
                .contains("`jwal repair --discard-readable /var/lib/app/wal`")
                .contains("wal.repair-torn-tail never cuts readable records");
    }

    @Test
    void aShortMiddleSegmentIsCorruptionNotATornTail() {
        FailureAnalysis analysis = analyze(new SegmentTruncatedException(SEGMENT, 4000, 4032, 4200));
        assertThat(analysis.getDescription()).contains("corrupted").contains("4032-4200");
        assertThat(analysis.getAction()).contains("Repair cannot fix this").contains("not the last is short")
                .doesNotContain("wal.repair-torn-tail=true");
    }

    @Test
    void aSequenceGapIsDamageToTheDirectory() {
        FailureAnalysis analysis = analyze(new FileSequenceGapException(SEGMENT.getParent(),
                "0000000000000001-0000000000000010.wal", "0000000000000003-0000000000000030.wal"));
        assertThat(analysis.getDescription()).contains("missing or duplicated").contains("gap");
        assertThat(analysis.getAction()).contains("restore the missing segment");
    }

    @Test
    void corruptionSaysRepairCannotHelp() {
        FailureAnalysis analysis = analyze(new CrcMismatchException(SEGMENT, 512));
        assertThat(analysis.getDescription()).contains("corrupted").contains("offset 512");
        assertThat(analysis.getAction()).contains("Repair cannot fix this").contains("verify /var/lib/app/wal")
                .contains("restore");
    }

    @Test
    void aMissingSnapshotPointsAtTheSelector() {
        FailureAnalysis analysis = analyze(new SnapshotNotFoundException(new WalSnapshot(42, 3, null), null));
        assertThat(analysis.getDescription()).contains("index 42 term 3");
        assertThat(analysis.getAction()).contains("WalSnapshotSelector").contains("snapshots");
    }

    @Test
    void anUnwritableDirectorySaysSo() {
        FailureAnalysis analysis = analyze(new WalIoException("creating the WAL", Path.of("/var/lib/app/wal"),
                new AccessDeniedException("/var/lib/app/wal.tmp")));
        assertThat(analysis.getDescription()).contains("cannot be written").contains("/var/lib/app/wal");
        assertThat(analysis.getAction()).contains("writable");
    }

    /**
     * Issue 37: on a full disk, startup's torn-tail repair failed for want of room for its .broken
     * copy, and the analysis told the operator to check a file and offset that were never named.
     */
    @Test
    void aFullDiskSaysSoAndThatNothingWasCut() {
        FailureAnalysis analysis = analyze(new WalIoException("copying the segment to x.wal.broken before cutting"
                + " its torn tail (nothing was cut):", Path.of("/var/lib/app/wal/x.wal"),
                new java.io.IOException("No space left on device")));
        assertThat(analysis.getDescription()).contains("full").contains("x.wal.broken");
        assertThat(analysis.getAction()).contains("Free space").contains("df -h /var/lib/app/wal")
                .doesNotContain("offset named above");
    }

    /** An I/O failure with no offset (a directory that cannot be created) names what it has. */
    @Test
    void anIoFailureWithoutAnOffsetNamesNoOffset() {
        FailureAnalysis analysis = analyze(new WalIoException("creating the WAL", Path.of("/proc/1/wal"),
                new java.io.IOException("Operation not permitted")));
        assertThat(analysis.getDescription()).contains("I/O operation").contains("Operation not permitted");
        assertThat(analysis.getAction()).contains("/proc/1/wal").doesNotContain("offset");
    }

    @Test
    void aWalOfAnotherNodeSaysCheckTheDirectory() {
        FailureAnalysis analysis = analyze(new WalMetadataMismatchException(Path.of("/d"), "node-2", "node-1"));
        assertThat(analysis.getAction()).contains("wal.directory").contains("another node");
    }

    @Test
    void isRegisteredAndAnalysesARealStartupFailure() throws java.io.IOException {
        Path dir = temp.resolve("wal");
        Wal held = Wal.create(dir, null);
        try {
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WalAutoConfiguration.class))
                    .withPropertyValues("wal.directory=" + dir).run(context -> {
                        Throwable failure = context.getStartupFailure();
                        assertThat(failure).isNotNull();
                        FailureAnalysis analysis = analyzer.analyze(failure);
                        assertThat(analysis.getDescription()).contains("locked by another writer");
                    });
        } finally {
            held.close();
        }
        List<String> analyzers = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
            Properties factories = PropertiesLoaderUtils.loadProperties(new UrlResource(url));
            analyzers.add(factories.getProperty("org.springframework.boot.diagnostics.FailureAnalyzer", ""));
        }
        assertThat(analyzers).anySatisfy(names -> assertThat(names).contains(WalFailureAnalyzer.class.getName()));
    }
}

package dev.jwal.cli;

import static dev.jwal.cli.JwalFixturesTest.jwal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalOptions;
import dev.jwal.core.WalVerdict;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator's damaged directories, through every command: {@code verify}, {@code dump}'s
 * ending and {@code repair} give the verdict {@link WalDirectory#examine} gives, with the same exit status
 * (0 clean, 1 torn tail, 2 corrupt), and only a torn tail is cut without being told; a refused
 * repair changes no byte.
 */
class DamagedDirectoryTest {

    @TempDir
    Path temp;

    enum Damage {
        /** The last segment ends inside its last record, as a torn write leaves it: repairable. */
        TORN_TAIL(WalVerdict.Kind.TORN_TAIL),
        /** One sector of zeros in the middle of the last segment, intact records after it. */
        ZERO_SECTOR_MID_TAIL(WalVerdict.Kind.CORRUPT),
        /** A middle segment cut short. */
        TRUNCATED_MIDDLE(WalVerdict.Kind.CORRUPT),
        /** An empty file named as the next segment. */
        EMPTY_NEXT_SEGMENT(WalVerdict.Kind.CORRUPT),
        /** A middle segment deleted. */
        DELETED_MIDDLE(WalVerdict.Kind.CORRUPT);

        final WalVerdict.Kind verdict;

        Damage(WalVerdict.Kind verdict) {
            this.verdict = verdict;
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void everyCommandCallsTheDamageWhatExamineCallsIt(Damage damage) throws IOException {
        Path dir = temp.resolve("wal");
        List<Path> segments = writeWal(dir);
        damage(damage, dir, segments);
        assertThat(WalDirectory.examine(dir, WalOptions.defaults()).kind()).isEqualTo(damage.verdict);
        int status = Verdicts.exitCode(damage.verdict);
        Map<String, byte[]> before = contents(dir);

        var verify = jwal("verify", dir.toString(), "--format", "json");
        assertThat(verify.status()).as(verify.out() + verify.err()).isEqualTo(status);
        assertThat(verify.json().get("verdict").asString()).isEqualTo(damage.verdict.label());
        var dump = jwal("dump", dir.toString(), "--format", "json");
        assertThat(dump.status()).as(dump.out() + dump.err()).isEqualTo(status);
        assertThat(dump.json().get("end").asString()).startsWith(damage.verdict.label());
        assertThat(contents(dir)).as("reading changes nothing").containsOnlyKeys(before.keySet());

        var repair = jwal("repair", dir.toString(), "--yes", "--format", "json");
        assertThat(repair.json().get("verdict").asString()).isEqualTo(damage.verdict.label());
        if (damage.verdict == WalVerdict.Kind.TORN_TAIL) {
            assertThat(repair.status()).as(repair.out() + repair.err()).isZero();
            assertThat(repair.json().get("result").asString()).startsWith("repaired: cut at offset");
            assertThat(jwal("verify", dir.toString()).status()).isZero();
            return;
        }
        assertThat(repair.status()).as(repair.out() + repair.err()).isEqualTo(ExitCodes.CORRUPT);
        assertThat(repair.json().get("result").asString()).contains("not repaired").doesNotContain("nothing to repair");
        assertThat(repair.json().get("hint").asString()).contains("restore");
        Map<String, byte[]> after = contents(dir);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
    }

    @ParameterizedTest
    @EnumSource(value = Damage.class, names = "ZERO_SECTOR_MID_TAIL")
    void discardReadableCutsKnowinglyAndSaysWhatWasLost(Damage damage) throws IOException {
        Path dir = temp.resolve("wal");
        List<Path> segments = writeWal(dir);
        damage(damage, dir, segments);
        var verify = jwal("verify", dir.toString(), "--format", "json");
        assertThat(verify.json().get("readableAfterDamage").get("records").asLong()).isPositive();
        assertThat(verify.json().get("hint").asString()).contains("--discard-readable");

        var repair = jwal("repair", dir.toString(), "--discard-readable", "--yes", "--format", "json");
        assertThat(repair.status()).as(repair.out() + repair.err()).isZero();
        assertThat(repair.json().get("readableRecordsLost").get("records").asLong()).isPositive();
        assertThat(repair.json().get("result").asString()).startsWith("repaired: cut at offset");
        Path last = segments.get(segments.size() - 1);
        assertThat(last.resolveSibling(last.getFileName() + ".broken")).exists();
        assertThat(jwal("verify", dir.toString()).status()).isZero();
    }

    /**
     * At least four segments of about 20 entries each, the last holding 4 KiB or more; returns
     * their paths, oldest first.
     */
    private static List<Path> writeWal(Path dir) throws IOException {
        WalOptions options = WalOptions.builder().segmentSize(8192).build();
        try (Wal wal = Wal.create(dir, "meta".getBytes(), options)) {
            for (long i = 1; i <= 80 || lastDataEnd(dir) < 4096; i++) {
                wal.save(new HardState(1, 1, i), List.of(Entry.normal(1, i, new byte[300])));
            }
        }
        List<Path> segments = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.toString().endsWith(".wal")).sorted().forEach(segments::add);
        }
        assertThat(segments).hasSizeGreaterThanOrEqualTo(4);
        return segments;
    }

    private static long lastDataEnd(Path dir) {
        var segments = dev.jwal.core.inspect.WalInspector.withDefaults().segments(dir);
        return segments.get(segments.size() - 1).dataEnd();
    }

    private static void damage(Damage damage, Path dir, List<Path> segments) throws IOException {
        Path last = segments.get(segments.size() - 1);
        long end = lastDataEnd(dir);
        switch (damage) {
            case TORN_TAIL -> {
                try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
                    file.setLength(end - 5);
                }
            }
            case ZERO_SECTOR_MID_TAIL -> zero(last, 2048, 512);
            case TRUNCATED_MIDDLE -> {
                try (RandomAccessFile file = new RandomAccessFile(segments.get(1).toFile(), "rw")) {
                    file.setLength(file.length() - 100);
                }
            }
            case EMPTY_NEXT_SEGMENT -> Files.createFile(dir.resolve(String.format("%016x-%016x.wal", segments.size(),
                    1000)));
            case DELETED_MIDDLE -> Files.delete(segments.get(1));
        }
    }

    private static void zero(Path file, long offset, int length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(new byte[length]);
        }
    }

    /**
     * The WAL's own files. The index directory is left out: a cache of sealed segments that an
     * open may write, and never a record of the log.
     */
    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> contents = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals(dev.jwal.core.WalDirectory.INDEX_DIRECTORY)) {
                    contents.put(file.getFileName().toString(), Files.readAllBytes(file));
                }
            }
        }
        return contents;
    }
}

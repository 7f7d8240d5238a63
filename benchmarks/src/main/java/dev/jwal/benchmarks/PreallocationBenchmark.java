package dev.jwal.benchmarks;

import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What preallocation buys an fdatasync: 4 KiB appends, each followed by {@code force(false)}, into
 * a segment grown by writing zeros ({@code ZEROS}, what jwal does under ALWAYS and GROUP), with
 * blocks reserved by {@code fallocate} ({@code RESERVED}, what jwal does under NONE and INTERVAL;
 * Java 22 or later), grown sparsely ({@code SPARSE}, {@code setLength}), or not grown at all
 * ({@code APPEND}). Compare them in one run, as ratios: the disk is shared and its absolute speed
 * varies.
 *
 * <pre>$JDK25/bin/java -jar benchmarks/target/benchmarks.jar PreallocationBenchmark -p dir=/path/on/the/disk \
 *     -jvmArgsAppend --enable-native-access=ALL-UNNAMED</pre>
 *
 * (the forked JVMs need native access for {@code RESERVED}; without it, or on Java 17, that
 * growth fails its setup.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 3)
public class PreallocationBenchmark {

    private static final long SEGMENT_BYTES = 256L << 20;

    @Param({"ZEROS", "RESERVED", "SPARSE", "APPEND"})
    public String growth;

    /** The directory to measure; the working directory by default. */
    @Param(".")
    public String dir;

    private Path path;
    private DiskFile file;
    private final ByteBuffer page = ByteBuffer.allocateDirect(4096);
    private long offset;

    @Setup(Level.Iteration)
    public void growSegment() throws IOException {
        path = Files.createTempFile(Paths.get(dir), "jwal-prealloc", ".wal");
        if (growth.equals("RESERVED") && !RealDisk.INSTANCE.reserve(path, SEGMENT_BYTES)) {
            throw new IllegalStateException("fallocate is not available here: run on Java 22 or later, on Linux");
        }
        file = RealDisk.INSTANCE.openForWrite(path, false);
        if (growth.equals("ZEROS") || growth.equals("SPARSE")) {
            file.extend(SEGMENT_BYTES, growth.equals("ZEROS"));
            file.sync();
        }
        offset = 0;
    }

    @Benchmark
    public long appendPageAndFdatasync() throws IOException {
        page.clear();
        file.write(page, offset);
        file.sync();
        offset = (offset + 4096) % SEGMENT_BYTES;
        return offset;
    }

    @TearDown(Level.Iteration)
    public void removeSegment() throws IOException {
        file.close();
        Files.delete(path);
    }
}

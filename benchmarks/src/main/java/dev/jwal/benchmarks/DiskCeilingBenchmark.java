package dev.jwal.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * The disk itself, in the same run as the WAL figures, so that each can be quoted as a ratio of
 * it: {@code fdatasync4k} appends 4 KiB and fdatasyncs (the most saves/s any fsync-per-save log
 * can reach), into a preallocated 64 MiB file over and over; {@code sequentialAppend} appends
 * 1 MiB at a time to a growing file without syncing: the sustained bandwidth an unsynced log can
 * reach once the kernel's dirty-page limit makes writers wait for the disk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class DiskCeilingBenchmark {

    private static final int MIB = 1 << 20;

    /** The directory to measure; the working directory by default. */
    @Param(".")
    public String dir;

    private Path home;
    private SyncedPages synced;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(MIB);
    private FileChannel appended;
    private long appendedBytes;

    @Setup(Level.Trial)
    public void preallocate() throws IOException {
        home = BenchDirectory.create(dir, "jwal-ceiling");
        synced = new SyncedPages(home.resolve("raw"));
        appended = FileChannel.open(home.resolve("appended"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Benchmark
    public void fdatasync4k() throws IOException {
        synced.writeAndSync();
    }

    /** One operation is one MiB, so MB/s is ops/s times 1.048576. */
    @Benchmark
    public void sequentialAppend() throws IOException {
        chunk.clear();
        appended.write(chunk, appendedBytes);
        appendedBytes += MIB;
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        synced.close();
        appended.close();
        BenchDirectory.delete(home);
    }
}

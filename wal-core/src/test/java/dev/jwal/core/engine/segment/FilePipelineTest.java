package dev.jwal.core.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.ForwardingDisk;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** etcd's file_pipeline_test.go in intent. */
class FilePipelineTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Preallocation.class)
    void sparesAlternateAreLockedPreallocatedAndTheLastIsRemovedOnClose(Preallocation preallocation)
            throws IOException {
        try (FilePipeline pipeline = new FilePipeline(RealDisk.INSTANCE, dir, 8192, preallocation)) {
            for (int cut = 0; cut < 4; cut++) {
                try (DiskFile spare = pipeline.take()) {
                    assertThat(spare.path().getFileName().toString()).isEqualTo(cut % 2 + ".tmp");
                    assertThat(spare.isLocked()).isTrue();
                    assertThat(spare.size()).isEqualTo(8192);
                    assertThat(Files.readAllBytes(spare.path())).containsOnly(0);
                    // as a cut does, before the next one
                    RealDisk.INSTANCE.rename(spare.path(), dir.resolve(new SegmentName(cut + 1, 0).fileName()));
                }
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("the spare never taken is removed")
                    .noneMatch(n -> n.endsWith(".tmp")).hasSize(4);
        }
    }

    /**
     * Zeros are written a step at a time with an fdatasync after each, so that a save's fdatasync
     * (which, on ext4, writes out every newly allocated dirty page first) never carries more than
     * one step of a spare: no extend grows the file more than a step past what was last synced.
     */
    @Test
    void zerosAreWrittenAndSyncedAStepAtATime() throws IOException {
        long size = 3 * FilePipeline.ZERO_STEP + 4096;
        List<String> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
        ForwardingDisk recording = new ForwardingDisk(RealDisk.INSTANCE) {
            @Override
            protected DiskFile wrap(DiskFile file) {
                return new ForwardingDisk.ForwardingDiskFile(file) {
                    @Override
                    public void extend(long to, boolean allocate) throws IOException {
                        steps.add("extend " + to);
                        super.extend(to, allocate);
                    }

                    @Override
                    public void sync() throws IOException {
                        steps.add("sync " + size());
                        super.sync();
                    }
                };
            }
        };
        try (FilePipeline pipeline = new FilePipeline(recording, dir, size, Preallocation.ZERO_FILL);
                DiskFile spare = pipeline.take()) {
            assertThat(Files.readAllBytes(spare.path())).hasSize((int) size).containsOnly(0);
        }
        long step = FilePipeline.ZERO_STEP;
        assertThat(steps).startsWith("extend " + step, "sync " + step, "extend " + 2 * step, "sync " + 2 * step,
                "extend " + 3 * step, "sync " + 3 * step, "extend " + size, "sync " + size);
    }

    /** Closing while a spare is still being zeroed gives it up and leaves no spare behind. */
    @Test
    @SuppressWarnings("try") // the pipeline is opened only to be closed at once
    void closingWhileASpareIsZeroedLeavesNoSpare() throws IOException {
        try (FilePipeline pipeline = new FilePipeline(RealDisk.INSTANCE, dir, 16 * FilePipeline.ZERO_STEP,
                Preallocation.ZERO_FILL)) {
            // closed at once, most likely half way through the first spare
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    /** etcd TestFilePipelineFailLockFile. */
    @ParameterizedTest
    @EnumSource(Preallocation.class)
    void aSpareLockedByAnotherWriterFailsTheTake(Preallocation preallocation) throws IOException {
        try (DiskFile held = RealDisk.INSTANCE.openForWrite(dir.resolve("0.tmp"), true)) {
            assertThat(held.tryLock()).isTrue();
            try (FilePipeline pipeline = new FilePipeline(RealDisk.INSTANCE, dir, 8192, preallocation)) {
                assertThatThrownBy(pipeline::take).isInstanceOf(IOException.class).hasMessageContaining("locked");
            }
        }
    }

    /** etcd TestFilePipelineFailPreallocate. */
    @Test
    void aFailedPreallocationFailsTheTake() throws IOException {
        Path notADirectory = dir.resolve("file");
        Files.createFile(notADirectory);
        try (FilePipeline pipeline = new FilePipeline(RealDisk.INSTANCE, notADirectory, 8192, Preallocation.RESERVE)) {
            assertThatThrownBy(pipeline::take).isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Preallocation.class)
    void aLeftoverSpareIsStartedAfresh(Preallocation preallocation) throws IOException {
        Files.write(dir.resolve("0.tmp"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        try (FilePipeline pipeline = new FilePipeline(RealDisk.INSTANCE, dir, 4096, preallocation);
                DiskFile spare = pipeline.take()) {
            assertThat(Files.readAllBytes(spare.path())).hasSize(4096).containsOnly(0);
        }
    }

    /** Where the disk reserves the blocks, the pipeline writes no zeros of its own. */
    @Test
    void aReservedSpareIsNotZeroFilledAgain() throws IOException {
        List<Path> reserved = new ArrayList<>();
        List<String> extended = new ArrayList<>();
        Disk reserving = new ForwardingDisk(RealDisk.INSTANCE) {
            @Override
            public boolean reserve(Path file, long size) throws IOException {
                reserved.add(file);
                try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
                    raw.setLength(0);
                    raw.setLength(size);
                }
                return true;
            }

            @Override
            protected DiskFile wrap(DiskFile file) {
                return new ForwardingDisk.ForwardingDiskFile(file) {
                    @Override
                    public void extend(long size, boolean allocate) throws IOException {
                        extended.add(file.path().getFileName().toString());
                        super.extend(size, allocate);
                    }
                };
            }
        };
        Files.write(dir.resolve("0.tmp"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        try (FilePipeline pipeline = new FilePipeline(reserving, dir, 4096, Preallocation.RESERVE);
                DiskFile spare = pipeline.take()) {
            assertThat(spare.isLocked()).isTrue();
            assertThat(Files.readAllBytes(spare.path())).hasSize(4096).containsOnly(0);
            assertThat(reserved).contains(dir.resolve("0.tmp"));
            assertThat(extended).isEmpty();
        }
    }
}

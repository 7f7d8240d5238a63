package dev.jwal.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's file_pipeline_test.go in intent. */
class FilePipelineTest {

    @TempDir
    Path dir;

    @Test
    void sparesAlternateAreLockedPreallocatedAndTheLastIsRemovedOnClose() throws IOException {
        try (FilePipeline pipeline = new FilePipeline(RealDisk.INSTANCE, dir, 8192, true)) {
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

    /** etcd TestFilePipelineFailLockFile. */
    @Test
    void aSpareLockedByAnotherWriterFailsTheTake() throws IOException {
        try (DiskFile held = RealDisk.INSTANCE.openForWrite(dir.resolve("0.tmp"), true)) {
            assertThat(held.tryLock()).isTrue();
            try (FilePipeline pipeline = new FilePipeline(RealDisk.INSTANCE, dir, 8192, true)) {
                assertThatThrownBy(pipeline::take).isInstanceOf(IOException.class).hasMessageContaining("locked");
            }
        }
    }

    /** etcd TestFilePipelineFailPreallocate. */
    @Test
    void aFailedPreallocationFailsTheTake() throws IOException {
        Path notADirectory = dir.resolve("file");
        Files.createFile(notADirectory);
        try (FilePipeline pipeline = new FilePipeline(RealDisk.INSTANCE, notADirectory, 8192, true)) {
            assertThatThrownBy(pipeline::take).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aLeftoverSpareIsStartedAfresh() throws IOException {
        Files.write(dir.resolve("0.tmp"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        try (FilePipeline pipeline = new FilePipeline(RealDisk.INSTANCE, dir, 4096, false);
                DiskFile spare = pipeline.take()) {
            assertThat(Files.readAllBytes(spare.path())).hasSize(4096).containsOnly(0);
        }
    }
}

package dev.jwal.core.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.WalListener;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** etcd's pagewriter_test.go in intent: writes reach the file page-aligned, and nothing is lost. */
class PageWriterTest {

    /** Records every write: offset and length. */
    private static final class RecordingFile implements DiskFile {
        final List<long[]> writes = new ArrayList<>();
        final ByteBuffer content = ByteBuffer.allocate(8 << 20);

        @Override
        public void write(ByteBuffer src, long position) {
            writes.add(new long[] {position, src.remaining()});
            content.position((int) position);
            content.put(src);
        }

        @Override
        public Path path() {
            return Path.of("recording");
        }

        @Override
        public long size() {
            return content.capacity();
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void truncate(long size) {
        }

        @Override
        public void sync() {
        }

        @Override
        public void extend(long size, boolean allocate) {
        }

        @Override
        public boolean tryLock() {
            return true;
        }

        @Override
        public boolean isLocked() {
            return true;
        }

        @Override
        public void unlock() {
        }

        @Override
        public void close() {
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void unflushedWritesLandOnPageBoundariesAndNothingIsLost(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        RecordingFile file = new RecordingFile();
        PageWriter writer = new PageWriter(WalListener.NONE);
        int start = random.nextInt(0, PageWriter.PAGE_BYTES);
        writer.reset(file, start);
        ByteBuffer expected = ByteBuffer.allocate(8 << 20);
        expected.position(start);
        long total = start;
        while (total < (6 << 20)) {
            byte[] head = new byte[random.nextInt(0, 40)];
            byte[] body = new byte[random.nextInt(0, random.nextBoolean() ? 200 : 300_000)];
            random.nextBytes(head);
            random.nextBytes(body);
            int zeros = random.nextInt(0, 8);
            writer.write(head, head.length, body, 0, body.length, zeros);
            expected.put(head).put(body).put(new byte[zeros]);
            total += head.length + body.length + zeros;
            assertThat(writer.logicalOffset()).isEqualTo(total);
            assertThat(writer.logicalOffset() - writer.flushedOffset())
                    .isLessThanOrEqualTo(PageWriter.WATERMARK_BYTES + PageWriter.PAGE_BYTES);
        }
        for (long[] write : file.writes) {
            assertThat((write[0] + write[1]) % PageWriter.PAGE_BYTES).as("write ends on a page").isZero();
        }
        writer.flush();
        assertThat(writer.flushedOffset()).isEqualTo(total);
        assertThat(file.content.array()).startsWith(java.util.Arrays.copyOf(expected.array(), (int) total));
    }
}

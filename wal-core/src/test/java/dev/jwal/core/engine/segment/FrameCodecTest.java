package dev.jwal.core.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.CrcMismatchException;
import dev.jwal.core.Entry;
import dev.jwal.core.FrameTooLargeException;
import dev.jwal.core.HardState;
import dev.jwal.core.SegmentHeaderException;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.WalListener;
import dev.jwal.core.WalOptions;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.codec.RollingCrc;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's record_test.go in intent: frames written, read back, and read when cut short or damaged. */
class FrameCodecTest {

    /** The crc record and an empty metadata record every segment starts with: 16 bytes each. */
    private static final int HEADER = 32;

    @TempDir
    Path temp;

    private Path writeFrames(Entry... entries) throws IOException {
        Path path = temp.resolve("frames.wal");
        try (DiskFile file = RealDisk.INSTANCE.openForWrite(path, true)) {
            PageWriter writer = new PageWriter(WalListener.NONE);
            writer.reset(file, 0);
            FrameEncoder encoder = new FrameEncoder(writer, new RollingCrc(), WalOptions.DEFAULT_MAX_RECORD_SIZE);
            encoder.encodeCrc();
            encoder.encodeMetadata(null);
            for (Entry entry : entries) {
                encoder.encodeEntry(entry);
            }
            encoder.encodeState(new HardState(1, 2, 3));
            writer.flush();
        }
        return path;
    }

    private static List<Entry> read(Path path) throws IOException {
        try (DiskFile file = RealDisk.INSTANCE.openForRead(path)) {
            FrameDecoder decoder = new FrameDecoder(List.of(new FrameDecoder.Source(path, file)),
                    WalOptions.DEFAULT_MAX_RECORD_SIZE);
            RecordView record = new RecordView();
            ProtoReader reader = new ProtoReader();
            java.util.ArrayList<Entry> entries = new java.util.ArrayList<>();
            while (decoder.next(record)) {
                if (record.type() == RecordType.ENTRY) {
                    entries.add(RaftCodec.decodeEntry(record.readData(reader)));
                }
            }
            return entries;
        }
    }

    /** etcd TestWriteRecord. */
    @Test
    void writtenRecordsReadBack() throws IOException {
        Entry[] entries = {Entry.normal(1, 1, "some data".getBytes()), Entry.normal(1, 2, null),
                Entry.normal(1, 3, new byte[5000])};
        assertThat(read(writeFrames(entries))).containsExactly(entries);
    }

    /**
     * etcd TestReadRecord: a record cut anywhere is an unexpected EOF; at a frame's end, a clean
     * end; a file cut before its metadata record ends has no header.
     */
    @Test
    void aRecordCutShortAnywhereIsUnexpectedEof() throws IOException {
        Path path = writeFrames(Entry.normal(1, 1, "some data".getBytes()));
        byte[] whole = Files.readAllBytes(path);
        java.util.Set<Long> frameEnds = new java.util.HashSet<>(List.of(0L));
        try (DiskFile file = RealDisk.INSTANCE.openForRead(path)) {
            FrameDecoder decoder = new FrameDecoder(List.of(new FrameDecoder.Source(path, file)),
                    WalOptions.DEFAULT_MAX_RECORD_SIZE);
            RecordView record = new RecordView();
            while (decoder.next(record)) {
                frameEnds.add(decoder.lastValidOffset());
            }
        }
        assertThat(frameEnds).hasSize(5).contains((long) whole.length, (long) HEADER);
        for (int length = 0; length < whole.length; length++) {
            Files.write(path, Arrays.copyOf(whole, length));
            int cut = length;
            if (frameEnds.contains((long) length) && length < HEADER) {
                assertThatThrownBy(() -> read(path)).as("cut at %d", cut).isInstanceOf(SegmentHeaderException.class);
            } else if (frameEnds.contains((long) length)) {
                read(path);
            } else {
                assertThatThrownBy(() -> read(path)).as("cut at %d", cut).isInstanceOf(UnexpectedEofException.class);
            }
        }
    }

    /** etcd TestReadRecord's bad CRC case. */
    @Test
    void aDamagedRecordWithoutZeroSectorsIsACrcMismatch() throws IOException {
        Path path = writeFrames(Entry.normal(1, 1, "some data".getBytes()));
        byte[] bytes = Files.readAllBytes(path);
        bytes[HEADER + 8 + 18] ^= 0x01; // a byte of the entry's payload
        Files.write(path, bytes);
        assertThatThrownBy(() -> read(path)).isInstanceOf(CrcMismatchException.class)
                .hasMessageContaining("offset " + HEADER);
    }

    @Test
    void aHugeLengthFieldIsRefusedWithoutAllocating() throws IOException {
        Path path = temp.resolve("huge.wal");
        byte[] frame = new byte[64];
        frame[0] = (byte) 0xF0;
        frame[1] = (byte) 0xFF;
        frame[2] = (byte) 0xFF;
        frame[3] = (byte) 0x7F; // 2 GiB - a bit, far over the 10 MiB limit
        Files.write(path, frame);
        assertThatThrownBy(() -> read(path)).isInstanceOf(FrameTooLargeException.class);
        frame[3] = 0;
        frame[2] = 0x10; // 1 MiB: under the limit, but past the end of the file
        Files.write(path, frame);
        assertThatThrownBy(() -> read(path)).isInstanceOf(UnexpectedEofException.class);
    }

    @Test
    void aFileEndingInsideALengthFieldIsUnexpectedEof() throws IOException {
        Path path = writeFrames(Entry.normal(1, 1, new byte[3]));
        byte[] whole = Files.readAllBytes(path);
        Files.write(path, Arrays.copyOf(whole, HEADER + 5));
        assertThatThrownBy(() -> read(path)).isInstanceOf(UnexpectedEofException.class)
                .hasMessageContaining("length field");
    }
}

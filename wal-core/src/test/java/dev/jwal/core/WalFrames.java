package dev.jwal.core;

import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.codec.RollingCrc;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.segment.FrameEncoder;
import dev.jwal.core.engine.segment.PageWriter;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Looks at and writes single segments frame by frame, for tests that need to reach inside. */
final class WalFrames {

    /**
     * A frame: where it starts, where its record ends (padding follows up to {@code end}), its
     * record type, and for entries their index (else -1).
     */
    record Frame(long offset, long recordEnd, long end, long type, long entryIndex) {
    }

    private WalFrames() {
    }

    static List<Frame> list(Path segment) throws IOException {
        List<Frame> frames = new ArrayList<>();
        try (DiskFile file = RealDisk.INSTANCE.openForRead(segment)) {
            FrameDecoder decoder = decoder(segment, file);
            RecordView record = new RecordView();
            ProtoReader reader = new ProtoReader();
            while (decoder.next(record)) {
                long index = record.type() == RecordType.ENTRY
                        ? RaftCodec.decodeEntry(record.readData(reader)).index() : -1;
                frames.add(new Frame(decoder.recordOffset(), decoder.recordOffset() + 8 + decoder.recordBytes(),
                        decoder.lastValidOffset(), record.type(), index));
            }
        }
        return frames;
    }

    /** Every record's type, checksum and data, as text, in order. */
    static List<String> records(Path segment) throws IOException {
        List<String> records = new ArrayList<>();
        try (DiskFile file = RealDisk.INSTANCE.openForRead(segment)) {
            FrameDecoder decoder = decoder(segment, file);
            RecordView record = new RecordView();
            while (decoder.next(record)) {
                byte[] data = record.copyData();
                records.add(record.type() + " " + record.crc() + " "
                        + (data == null ? "nil" : java.util.HexFormat.of().formatHex(data)));
            }
        }
        return records;
    }

    /** The rolling checksum after the segment's last record: the next segment's crc record. */
    static int crcAtEnd(Path segment) throws IOException {
        try (DiskFile file = RealDisk.INSTANCE.openForRead(segment)) {
            FrameDecoder decoder = decoder(segment, file);
            RecordView record = new RecordView();
            while (decoder.next(record)) {
                // read to the end
            }
            return decoder.crc().value();
        }
    }

    /** Writes a whole segment as a cut would: crc record, metadata, then the entries. */
    static void writeSegment(Path path, int previousCrc, byte[] metadata, List<Entry> entries) throws IOException {
        try (DiskFile file = RealDisk.INSTANCE.openForWrite(path, true)) {
            file.truncate(0);
            PageWriter writer = new PageWriter(WalListener.NONE);
            writer.reset(file, 0);
            FrameEncoder encoder = new FrameEncoder(writer, new RollingCrc(previousCrc),
                    WalOptions.DEFAULT_MAX_RECORD_SIZE);
            encoder.encodeCrc();
            encoder.encodeMetadata(metadata);
            for (Entry entry : entries) {
                encoder.encodeEntry(entry);
            }
            writer.flush();
        }
    }

    private static FrameDecoder decoder(Path segment, DiskFile file) {
        return new FrameDecoder(List.of(new FrameDecoder.Source(segment, file)), WalOptions.DEFAULT_MAX_RECORD_SIZE);
    }
}

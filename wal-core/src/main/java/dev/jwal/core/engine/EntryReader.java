package dev.jwal.core.engine;

import dev.jwal.core.CrcMismatchException;
import dev.jwal.core.Entry;
import dev.jwal.core.IndexOutOfRangeException;
import dev.jwal.core.RecordDecodeException;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.engine.codec.Frames;
import dev.jwal.core.engine.codec.ProtoFormatException;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.codec.RollingCrc;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads entries by index from a writable WAL's files, on the caller's thread, beside the log
 * writer: the positions come from the {@link EntryIndex}, the bytes from one positional read per
 * contiguous region (at most {@link #CHUNK_BYTES}), and each record's checksum is checked against
 * the one its frame continues from. Reads go through the disk's uninterruptible read path, so an
 * interrupted reader can never close a channel the writer uses.
 */
final class EntryReader {

    /** The largest single read: a range of small entries costs one read per this many bytes. */
    static final int CHUNK_BYTES = 1 << 20;

    private final Disk disk;
    private final EntryIndex index;
    /**
     * A read buffer kept from one read to the next, so that a reader going through the log does
     * not allocate (and zero) a region's bytes for every range; a concurrent reader that finds it
     * taken uses its own.
     */
    private final AtomicReference<byte[]> spare = new AtomicReference<>();

    EntryReader(Disk disk, EntryIndex index) {
        this.disk = disk;
        this.index = index;
    }

    /** Entries {@code [from, to)}; {@code to} must not pass what the writer has flushed. */
    List<Entry> read(long from, long to) {
        List<EntryIndex.Position> positions = index.positions(from, to);
        List<Entry> entries = new ArrayList<>(positions.size());
        ProtoReader reader = new ProtoReader();
        RecordView view = new RecordView();
        RollingCrc crc = new RollingCrc();
        byte[] taken = spare.getAndSet(null);
        byte[] buffer = taken != null ? taken : new byte[0];
        int i = 0;
        while (i < positions.size()) {
            EntryIndex.Position first = positions.get(i);
            int end = i + 1;
            long regionEnd = first.offset() + first.length();
            while (end < positions.size() && positions.get(end).run() == first.run()
                    && positions.get(end).offset() + positions.get(end).length() - first.offset() <= CHUNK_BYTES) {
                regionEnd = positions.get(end).offset() + positions.get(end).length();
                end++;
            }
            int regionBytes = (int) (regionEnd - first.offset());
            if (buffer.length < regionBytes) {
                buffer = new byte[Math.max(regionBytes, Math.min(CHUNK_BYTES, buffer.length * 2))];
            }
            readFully(first, buffer, regionBytes);
            for (int p = i; p < end; p++) {
                EntryIndex.Position position = positions.get(p);
                entries.add(decode(position, buffer, (int) (position.offset() - first.offset()), reader, view, crc));
            }
            i = end;
        }
        if (buffer.length <= CHUNK_BYTES) {
            // a buffer grown for one entry larger than a chunk is not kept for the WAL's lifetime
            spare.set(buffer);
        }
        return entries;
    }

    private void readFully(EntryIndex.Position first, byte[] buffer, int length) {
        EntryIndex.Run run = first.run();
        try {
            DiskFile file = run.readHandle(disk);
            ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
            while (target.hasRemaining()) {
                if (file.read(target, first.offset() + target.position()) < 0) {
                    throw new UnexpectedEofException("the segment ends before the indexed entry "
                            + Long.toUnsignedString(first.index()), run.path, first.offset());
                }
            }
        } catch (NoSuchFileException purged) {
            throw new IndexOutOfRangeException(first.index(), index.firstIndex(), index.lastIndex(),
                    "its segment was purged while reading");
        } catch (IOException e) {
            throw new WalIoException("reading entry " + Long.toUnsignedString(first.index()) + " from", run.path, e);
        }
    }

    private static Entry decode(EntryIndex.Position position, byte[] buffer, int at, ProtoReader reader,
            RecordView view, RollingCrc crc) {
        long field = 0;
        for (int b = 7; b >= 0; b--) {
            field = field << 8 | (buffer[at + b] & 0xFF);
        }
        long recordBytes = Frames.recordBytes(field);
        if (recordBytes + Frames.LENGTH_FIELD_BYTES + Frames.paddingBytes(field) != position.length()) {
            throw new CrcMismatchException(position.run().path, position.offset());
        }
        try {
            view.parse(reader, buffer, at + Frames.LENGTH_FIELD_BYTES, (int) recordBytes);
            if (crc.value() != position.crcSeed()) {
                // Entries of one save follow each other in the chain: the running checksum is
                // already the next one's seed, and seeding costs more than the check.
                crc.seed(position.crcSeed());
            }
            crc.update(buffer, view.dataOffset(), view.dataLength());
            if (view.type() != RecordType.ENTRY || view.crc() != crc.value()) {
                throw new CrcMismatchException(position.run().path, position.offset());
            }
            Entry entry = RaftCodec.decodeEntry(view.readData(reader));
            if (entry.index() != position.index()) {
                throw new CrcMismatchException(position.run().path, position.offset());
            }
            return entry;
        } catch (ProtoFormatException e) {
            throw new RecordDecodeException(e.getMessage(), position.run().path, position.offset());
        }
    }
}

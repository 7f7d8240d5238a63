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
import java.nio.file.Path;
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
        List<EntryIndex.Piece> pieces = index.pieces(from, to);
        List<Entry> entries = new ArrayList<>((int) Math.min(to - from, 1 << 16));
        byte[] taken = spare.getAndSet(null);
        Buffers buffers = new Buffers(taken != null ? taken : new byte[0]);
        for (EntryIndex.Piece piece : pieces) {
            if (piece.sealed()) {
                readSealed(piece, buffers, entries);
            } else {
                readPositions(piece.positions(), buffers, entries);
            }
        }
        if (buffers.bytes.length <= CHUNK_BYTES) {
            // a buffer grown for one entry larger than a chunk is not kept for the WAL's lifetime
            spare.set(buffers.bytes);
        }
        return entries;
    }

    /** What one read uses and reuses: the byte buffer and the decoders. */
    private static final class Buffers {
        byte[] bytes;
        final ProtoReader reader = new ProtoReader();
        final RecordView view = new RecordView();
        final RollingCrc crc = new RollingCrc();

        Buffers(byte[] bytes) {
            this.bytes = bytes;
        }

        void ensure(int length) {
            if (bytes.length < length) {
                bytes = new byte[Math.max(length, Math.min(CHUNK_BYTES, bytes.length * 2))];
            }
        }
    }

    private void readPositions(List<EntryIndex.Position> positions, Buffers buffers, List<Entry> entries) {
        int i = 0;
        while (i < positions.size()) {
            EntryIndex.Position first = positions.get(i);
            int end = i + 1;
            long regionEnd = first.offset() + first.length();
            while (end < positions.size()
                    && positions.get(end).offset() + positions.get(end).length() - first.offset() <= CHUNK_BYTES) {
                regionEnd = positions.get(end).offset() + positions.get(end).length();
                end++;
            }
            int regionBytes = (int) (regionEnd - first.offset());
            buffers.ensure(regionBytes);
            readFully(first.run(), first.index(), first.offset(), buffers.bytes, regionBytes);
            for (int p = i; p < end; p++) {
                EntryIndex.Position position = positions.get(p);
                entries.add(decode(position, buffers.bytes, (int) (position.offset() - first.offset()), buffers.reader,
                        buffers.view, buffers.crc));
            }
            i = end;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Sealed segments

    /**
     * Entries of a sealed segment's run: from the nearest sample at or before the first one,
     * decoding forward and checking every record's checksum. A sample that does not lead to the
     * entry it names was made from other bytes than the file's now: it is distrusted, the
     * segment's samples are made again by scanning it, and the read starts over once.
     */
    private void readSealed(EntryIndex.Piece piece, Buffers buffers, List<Entry> entries) {
        EntryIndex.Run run = piece.run();
        SegmentIndexes sealed = index.sealedIndexes();
        int before = entries.size();
        try {
            DiskFile file = run.readHandle(disk);
            SegmentSamples samples = sealed.samplesOf(run.path, file);
            try {
                scanFrom(samples, piece, file, buffers, entries);
                return;
            } catch (StaleSampleException stale) {
                entries.subList(before, entries.size()).clear();
                sealed.distrust(run.path);
            }
            scanFrom(sealed.samplesOf(run.path, file), piece, file, buffers, entries);
        } catch (StaleSampleException stillWrong) {
            // Made from the segment itself, the samples still do not lead to the entry: the run's
            // own first position, which the replay or the writer recorded, is the last word.
            entries.subList(before, entries.size()).clear();
            scanFromTheRunsStart(piece, buffers, entries);
        } catch (NoSuchFileException purged) {
            throw new IndexOutOfRangeException(piece.from(), index.firstIndex(), index.lastIndex(),
                    "its segment was purged while reading");
        } catch (IOException e) {
            throw new WalIoException("reading entry " + Long.toUnsignedString(piece.from()) + " from", run.path, e);
        }
    }

    private void scanFrom(SegmentSamples samples, EntryIndex.Piece piece, DiskFile file, Buffers buffers,
            List<Entry> entries) throws IOException {
        int start = samples.startFor(piece.from(), piece.firstOffset(), piece.endOffset());
        if (start < 0) {
            // from the run's own first position, to where the samples say the piece ends: the
            // samples may still be wrong
            scan(file, piece, piece.run().firstIndex, piece.firstOffset(), piece.firstSeed(), regionEnd(samples, piece),
                    buffers, entries, true);
        } else {
            scan(file, piece, samples.index(start), samples.offset(start), samples.seed(start),
                    regionEnd(samples, piece), buffers, entries, true);
        }
    }

    private void scanFromTheRunsStart(EntryIndex.Piece piece, Buffers buffers, List<Entry> entries) {
        try {
            scan(piece.run().readHandle(disk), piece, piece.run().firstIndex, piece.firstOffset(), piece.firstSeed(),
                    piece.endOffset(), buffers, entries, false);
        } catch (IOException e) {
            throw new WalIoException("reading entry " + Long.toUnsignedString(piece.from()) + " from", piece.run().path,
                    e);
        }
    }

    /** Where the piece's last entry ends at the latest: the next sample after the one it starts from. */
    private static long regionEnd(SegmentSamples samples, EntryIndex.Piece piece) {
        int last = samples.startFor(piece.to() - 1, piece.firstOffset(), piece.endOffset());
        long lastStart = last < 0 ? piece.firstOffset() : samples.offset(last);
        return samples.nextOffsetAfter(lastStart, piece.endOffset());
    }

    /**
     * Decodes frames from {@code offset}, whose entry is {@code startIndex} and whose checksum
     * continues {@code seed}, to the piece's last entry, reading at most a chunk at a time within
     * {@code [offset, regionEnd)}, and keeps the piece's entries.
     */
    private void scan(DiskFile file, EntryIndex.Piece piece, long startIndex, long offset, int seed, long regionEnd,
            Buffers buffers, List<Entry> entries, boolean fromSample) throws IOException {
        Path path = piece.run().path;
        RollingCrc crc = buffers.crc;
        crc.seed(seed);
        long expected = startIndex;
        long bufferStart = offset;
        int buffered = 0;
        long at = offset;
        while (Long.compareUnsigned(expected, piece.to()) < 0) {
            if (at + Frames.LENGTH_FIELD_BYTES > regionEnd) {
                throw wrong(fromSample, new UnexpectedEofException("the indexed run ends before entry "
                        + Long.toUnsignedString(expected), path, at));
            }
            if (at + Frames.LENGTH_FIELD_BYTES > bufferStart + buffered) {
                bufferStart = at;
                buffered = fill(file, path, at, Frames.LENGTH_FIELD_BYTES, regionEnd, buffers);
            }
            int p = (int) (at - bufferStart);
            long field = 0;
            for (int b = 7; b >= 0; b--) {
                field = field << 8 | (buffers.bytes[p + b] & 0xFF);
            }
            long recordBytes = Frames.recordBytes(field);
            long frameBytes = Frames.LENGTH_FIELD_BYTES + recordBytes + Frames.paddingBytes(field);
            if (recordBytes <= 0 || at + frameBytes > regionEnd || frameBytes > Integer.MAX_VALUE - 16) {
                throw wrong(fromSample, new CrcMismatchException(path, at));
            }
            if (at + frameBytes > bufferStart + buffered) {
                bufferStart = at;
                buffered = fill(file, path, at, (int) frameBytes, regionEnd, buffers);
                p = 0;
            }
            byte[] bytes = buffers.bytes;
            RecordView view = buffers.view;
            try {
                view.parse(buffers.reader, bytes, p + Frames.LENGTH_FIELD_BYTES, (int) recordBytes);
                crc.update(bytes, view.dataOffset(), view.dataLength());
                if (view.crc() != crc.value()) {
                    throw wrong(fromSample, new CrcMismatchException(path, at));
                }
                if (view.type() == RecordType.ENTRY) {
                    if (Long.compareUnsigned(expected, piece.from()) >= 0) {
                        Entry entry = RaftCodec.decodeEntry(view.readData(buffers.reader));
                        if (entry.index() != expected) {
                            throw wrong(fromSample, new CrcMismatchException(path, at));
                        }
                        entries.add(entry);
                    } else if (RaftCodec.entryIndex(view.readData(buffers.reader)) != expected) {
                        // passed over on the way to the first wanted entry: its index, not its payload
                        throw wrong(fromSample, new CrcMismatchException(path, at));
                    }
                    expected++;
                }
            } catch (ProtoFormatException e) {
                throw wrong(fromSample, new RecordDecodeException(e.getMessage(), path, at));
            }
            at += frameBytes;
        }
    }

    /** Reads from {@code at} at least {@code needed} bytes, and up to a chunk within the region. */
    private int fill(DiskFile file, Path path, long at, int needed, long regionEnd, Buffers buffers) throws IOException {
        int length = (int) Math.max(needed, Math.min(CHUNK_BYTES, regionEnd - at));
        buffers.ensure(length);
        ByteBuffer target = ByteBuffer.wrap(buffers.bytes, 0, length);
        while (target.hasRemaining()) {
            if (file.read(target, at + target.position()) < 0) {
                throw new UnexpectedEofException("the segment ends inside an indexed run", path, at + target.position());
            }
        }
        return length;
    }

    /** A read from a sample found the file other than the sample says: the sample, not the file, may be wrong. */
    private static RuntimeException wrong(boolean fromSample, RuntimeException verdict) {
        return fromSample ? new StaleSampleException(verdict) : verdict;
    }

    /** A sample led a read astray; what the read found is the cause. */
    private static final class StaleSampleException extends RuntimeException {
        StaleSampleException(RuntimeException found) {
            super(found.getMessage(), found, false, false);
        }
    }

    private void readFully(EntryIndex.Run run, long entryIndex, long offset, byte[] buffer, int length) {
        try {
            DiskFile file = run.readHandle(disk);
            ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
            while (target.hasRemaining()) {
                if (file.read(target, offset + target.position()) < 0) {
                    throw new UnexpectedEofException("the segment ends before the indexed entry "
                            + Long.toUnsignedString(entryIndex), run.path, offset);
                }
            }
        } catch (NoSuchFileException purged) {
            throw new IndexOutOfRangeException(entryIndex, index.firstIndex(), index.lastIndex(),
                    "its segment was purged while reading");
        } catch (IOException e) {
            throw new WalIoException("reading entry " + Long.toUnsignedString(entryIndex) + " from", run.path, e);
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

package dev.jwal.core.engine;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.engine.codec.Frames;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordType;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Extends a {@link Checkpoint} by one sealed segment at a time: reads the segment whole, its
 * checksums chained from the checkpoint's last, and applies its records as a replay from the
 * oldest segment would (entries that follow on or overwrite, a snapshot a node installed,
 * metadata that agrees), keeping only where runs and terms lie, not each entry.
 */
final class CheckpointBuilder {

    /** The segment cannot be added: its log does not follow on from the checkpoint's. */
    static final class DoesNotFollowException extends Exception {
        DoesNotFollowException(String message) {
            super(message, null, false, false);
        }
    }

    private static final class MutableRun {
        final long sequence;
        final long firstIndex;
        int count;
        final long firstOffset;
        final int firstSeed;
        long endOffset;
        boolean cutShort;

        MutableRun(long sequence, long firstIndex, long firstOffset, int firstSeed) {
            this.sequence = sequence;
            this.firstIndex = firstIndex;
            this.firstOffset = firstOffset;
            this.firstSeed = firstSeed;
        }

        long lastIndex() {
            return firstIndex + count - 1;
        }
    }

    private final List<Checkpoint.Segment> segments;
    private byte[] metadata;
    private final List<MutableRun> runs = new ArrayList<>();
    private long[] termStarts;
    private long[] terms;
    private int termCount;
    private HardState state;
    private long lastIndex;
    private boolean entrySeen;
    private final long readLimit;
    private final long generation;
    private final long scrubbedThrough;

    CheckpointBuilder(Checkpoint from, long readLimit) {
        this.readLimit = readLimit;
        this.generation = from.generation() + 1;
        this.scrubbedThrough = from.scrubbedThrough();
        this.segments = new ArrayList<>(from.segments());
        this.metadata = from.metadata();
        for (Checkpoint.Run run : from.runs()) {
            MutableRun copy = new MutableRun(run.sequence(), run.firstIndex(), run.firstOffset(), run.firstSeed());
            copy.count = run.count();
            copy.endOffset = run.endOffset();
            copy.cutShort = true; // a run of an earlier segment never grows again
            runs.add(copy);
        }
        this.termStarts = Arrays.copyOf(from.termStarts(), Math.max(8, from.termStarts().length));
        this.terms = Arrays.copyOf(from.terms(), Math.max(8, from.terms().length));
        this.termCount = from.terms().length;
        if (from.segments().isEmpty()) {
            this.state = HardState.EMPTY;
        } else {
            this.state = from.last().stateAfter();
            this.lastIndex = from.last().lastIndexAfter();
            this.entrySeen = true;
        }
    }

    /**
     * Reads {@code segment} (which {@code file} reads) and adds it.
     *
     * @throws DoesNotFollowException when its log does not follow on from what came before
     * @throws dev.jwal.core.WalException when it is damaged, as a full read would find it
     */
    void add(SegmentName name, Path segment, DiskFile file) throws DoesNotFollowException, IOException {
        FrameDecoder decoder = new FrameDecoder(List.of(new FrameDecoder.Source(segment, file)), readLimit, false);
        if (!segments.isEmpty()) {
            Checkpoint.Segment previous = segments.get(segments.size() - 1);
            if (previous.sequence() + 1 != name.sequence()) {
                throw new DoesNotFollowException(name + " does not follow segment " + previous.sequence());
            }
            decoder.crc().seed(previous.finalCrc());
        }
        RecordView record = new RecordView();
        ProtoReader reader = new ProtoReader();
        List<WalSnapshot> markers = new ArrayList<>();
        while (decoder.next(record)) {
            switch ((int) record.type()) {
                case RecordType.ENTRY -> {
                    Entry entry = RaftCodec.decodeEntry(record.readData(reader));
                    entry(entry, name.sequence(), decoder);
                }
                case RecordType.STATE -> state = RaftCodec.decodeHardState(record.readData(reader));
                case RecordType.METADATA -> {
                    byte[] data = record.copyData();
                    if (metadata != null && !Arrays.equals(metadata, data)) {
                        throw new DoesNotFollowException(name + " has other metadata");
                    }
                    metadata = data;
                }
                case RecordType.SNAPSHOT -> {
                    WalSnapshot marker = RaftCodec.decodeSnapshot(record.readData(reader));
                    markers.add(marker);
                    if (Long.compareUnsigned(marker.index(), lastIndex) > 0) {
                        // a snapshot installed from a leader: the log goes on after it
                        lastIndex = marker.index();
                        entrySeen = true;
                    }
                }
                case RecordType.CRC -> {
                    // checked and chained by the decoder
                }
                default -> throw new DoesNotFollowException(name + " holds a record of type " + record.type());
            }
        }
        segments.add(new Checkpoint.Segment(name.sequence(), name.firstIndex(), file.size(), decoder.crc().value(),
                state, lastIndex, markers));
    }

    /**
     * Adds a segment the writer summarised at its cut, without reading it: its runs applied as the
     * replay applies their entries (an earlier index cuts the runs and terms back), then its hard
     * state, last index and markers as the writer recorded them.
     */
    void add(Checkpoint.Written written) throws DoesNotFollowException {
        Checkpoint.Segment segment = written.segment();
        if (!segments.isEmpty() && segments.get(segments.size() - 1).sequence() + 1 != segment.sequence()) {
            throw new DoesNotFollowException("segment " + segment.sequence() + " does not follow segment "
                    + segments.get(segments.size() - 1).sequence());
        }
        if (metadata != null && !Arrays.equals(metadata, written.metadata())) {
            throw new DoesNotFollowException("segment " + segment.sequence() + " has other metadata");
        }
        metadata = written.metadata();
        int t = 0;
        for (Checkpoint.Run written1 : written.runs()) {
            long first = written1.firstIndex();
            if (entrySeen && Long.compareUnsigned(first, lastIndex) <= 0) {
                truncateFrom(first);
            }
            entrySeen = true;
            MutableRun run = new MutableRun(written1.sequence(), first, written1.firstOffset(), written1.firstSeed());
            run.count = written1.count();
            run.endOffset = written1.endOffset();
            runs.add(run);
            long last = first + written1.count() - 1;
            while (t < written.terms().length && Long.compareUnsigned(written.termStarts()[t], last) <= 0) {
                addTermIfNew(written.termStarts()[t], written.terms()[t]);
                t++;
            }
            lastIndex = last;
        }
        for (MutableRun run : runs) {
            run.cutShort = true;
        }
        state = segment.stateAfter();
        lastIndex = segment.lastIndexAfter();
        segments.add(segment);
    }

    private void addTermIfNew(long start, long term) {
        if (termCount == 0 || terms[termCount - 1] != term) {
            if (termCount == terms.length) {
                terms = Arrays.copyOf(terms, termCount * 2);
                termStarts = Arrays.copyOf(termStarts, termCount * 2);
            }
            terms[termCount] = term;
            termStarts[termCount] = start;
            termCount++;
        }
    }

    private void entry(Entry entry, long sequence, FrameDecoder decoder) throws DoesNotFollowException {
        long index = entry.index();
        if (entrySeen && Long.compareUnsigned(index, lastIndex + 1) > 0) {
            throw new DoesNotFollowException("entry " + Long.toUnsignedString(index) + " leaves a gap after "
                    + Long.toUnsignedString(lastIndex));
        }
        if (entrySeen && Long.compareUnsigned(index, lastIndex) <= 0) {
            truncateFrom(index);
        }
        entrySeen = true;
        MutableRun run = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        if (run == null || run.sequence != sequence || run.cutShort || run.lastIndex() + 1 != index) {
            run = new MutableRun(sequence, index, decoder.recordOffset(), decoder.recordCrcSeed());
            runs.add(run);
        }
        run.count++;
        run.endOffset = decoder.recordOffset() + Frames.LENGTH_FIELD_BYTES + decoder.recordBytes()
                + decoder.recordPadding();
        if (termCount == 0 || terms[termCount - 1] != entry.term()) {
            if (termCount == terms.length) {
                terms = Arrays.copyOf(terms, termCount * 2);
                termStarts = Arrays.copyOf(termStarts, termCount * 2);
            }
            terms[termCount] = entry.term();
            termStarts[termCount] = index;
            termCount++;
        }
        lastIndex = index;
    }

    private void truncateFrom(long index) {
        while (!runs.isEmpty()) {
            MutableRun last = runs.get(runs.size() - 1);
            if (Long.compareUnsigned(last.firstIndex, index) >= 0) {
                runs.remove(runs.size() - 1);
                continue;
            }
            if (Long.compareUnsigned(last.lastIndex(), index) >= 0) {
                last.count = (int) (index - last.firstIndex);
                last.cutShort = true;
            }
            break;
        }
        while (termCount > 0 && Long.compareUnsigned(termStarts[termCount - 1], index) >= 0) {
            termCount--;
        }
    }

    Checkpoint build() {
        List<Checkpoint.Run> built = new ArrayList<>(runs.size());
        for (MutableRun run : runs) {
            if (run.count > 0) {
                built.add(new Checkpoint.Run(run.sequence, run.firstIndex, run.count, run.firstOffset, run.firstSeed,
                        run.endOffset));
            }
        }
        return new Checkpoint(generation, scrubbedThrough, segments, metadata, built, Arrays.copyOf(termStarts, termCount),
                Arrays.copyOf(terms, termCount));
    }
}

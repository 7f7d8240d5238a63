package dev.jwal.core.engine;

import dev.jwal.core.HardState;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What a replay of the WAL's sealed segments, from the oldest, found: for each segment its name,
 * size and final checksum, the hard state and last entry index after it and the snapshot markers
 * in it; and, after the last one, the metadata, where each run of live entries lies and where
 * each term starts. An open whose handler needs none of their entries takes this instead of
 * reading those segments again; the tail and any segment sealed after the checkpoint are read.
 *
 * <p>A cache, never trusted blindly: it is written with its own CRC-32C, and it is used only when
 * every segment it names is in the directory with the size it recorded and the first segment
 * after it continues its final checksum ({@link CheckpointFile#cover}); otherwise the segments
 * are read, as without one. Immutable.
 *
 * <p>{@code scrubbedThrough}: how far the background check of the segments has got in its current
 * round, by sequence, so that a restart resumes it; -1 when no round is under way.
 */
record Checkpoint(long generation, long scrubbedThrough, List<Segment> segments, byte[] metadata, List<Run> runs,
        long[] termStarts, long[] terms) {

    /** One sealed segment: where the chain of checksums stands after it, and what the log does. */
    record Segment(long sequence, long nameIndex, long size, int finalCrc, HardState stateAfter,
            long lastIndexAfter, List<WalSnapshot> markers) {
    }

    /** Live entries {@code [firstIndex, firstIndex + count)} of segment {@code sequence}, in its bytes. */
    record Run(long sequence, long firstIndex, int count, long firstOffset, int firstSeed, long endOffset) {
    }

    /**
     * One sealed segment as the writer that wrote it knows it, handed over at the cut so that the
     * checkpoint need not read it: its summary, its runs of entries in file order and the term
     * starts among them ({@code termStarts[i]} starts {@code terms[i]}, the first at each run's
     * first entry), and the metadata it starts with.
     */
    record Written(Segment segment, List<Run> runs, long[] termStarts, long[] terms, byte[] metadata) {
    }

    static final Checkpoint EMPTY = new Checkpoint(0, -1, List.of(), null, List.of(), new long[0], new long[0]);

    private static final long MAGIC = 0x4a57414c434b5031L; // "JWALCKP1"

    Checkpoint {
        segments = List.copyOf(segments);
        runs = List.copyOf(runs);
    }

    /** This checkpoint, next generation, with the scrub's round checked through {@code sequence} (-1: round over). */
    Checkpoint scrubbedThrough(long sequence) {
        return new Checkpoint(generation + 1, sequence, segments, metadata, runs, termStarts, terms);
    }

    Segment last() {
        return segments.get(segments.size() - 1);
    }

    /** This checkpoint without the segments before {@code sequence} (purged), and their runs. */
    Checkpoint from(long sequence) {
        List<Segment> kept = segments.stream().filter(s -> s.sequence() >= sequence).toList();
        List<Run> keptRuns = runs.stream().filter(r -> r.sequence() >= sequence).toList();
        return new Checkpoint(generation, scrubbedThrough, kept, metadata, keptRuns, termStarts, terms);
    }

    // ---------------------------------------------------------------------------------------------

    byte[] serialise() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(MAGIC);
            out.writeLong(generation);
            out.writeLong(scrubbedThrough);
            out.writeInt(metadata == null ? -1 : metadata.length);
            if (metadata != null) {
                out.write(metadata);
            }
            out.writeInt(segments.size());
            for (Segment s : segments) {
                out.writeLong(s.sequence());
                out.writeLong(s.nameIndex());
                out.writeLong(s.size());
                out.writeInt(s.finalCrc());
                out.writeLong(s.stateAfter().term());
                out.writeLong(s.stateAfter().vote());
                out.writeLong(s.stateAfter().commit());
                out.writeLong(s.lastIndexAfter());
                out.writeInt(s.markers().size());
                for (WalSnapshot m : s.markers()) {
                    byte[] encoded = RaftCodec.encodeSnapshot(m);
                    out.writeInt(encoded.length);
                    out.write(encoded);
                }
            }
            out.writeInt(runs.size());
            for (Run r : runs) {
                out.writeLong(r.sequence());
                out.writeLong(r.firstIndex());
                out.writeInt(r.count());
                out.writeLong(r.firstOffset());
                out.writeInt(r.firstSeed());
                out.writeLong(r.endOffset());
            }
            out.writeInt(terms.length);
            for (int i = 0; i < terms.length; i++) {
                out.writeLong(termStarts[i]);
                out.writeLong(terms[i]);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
        byte[] body = bytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
    }

    /** The checkpoint in a file's bytes, or null when they are not a whole, intact one. */
    static Checkpoint deserialise(byte[] bytes) {
        if (bytes.length < 12) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, 0, bytes.length - 4))) {
            if (in.readLong() != MAGIC) {
                return null;
            }
            long generation = in.readLong();
            long scrubbedThrough = in.readLong();
            int metadataLength = in.readInt();
            byte[] metadata = null;
            if (metadataLength >= 0) {
                metadata = in.readNBytes(metadataLength);
            }
            int segmentCount = in.readInt();
            List<Segment> segments = new ArrayList<>();
            for (int i = 0; i < segmentCount; i++) {
                long sequence = in.readLong();
                long nameIndex = in.readLong();
                long size = in.readLong();
                int finalCrc = in.readInt();
                HardState state = new HardState(in.readLong(), in.readLong(), in.readLong());
                long lastIndex = in.readLong();
                int markerCount = in.readInt();
                List<WalSnapshot> markers = new ArrayList<>();
                for (int m = 0; m < markerCount; m++) {
                    byte[] encoded = in.readNBytes(in.readInt());
                    markers.add(RaftCodec.decodeSnapshot(new ProtoReader().reset(encoded, 0, encoded.length)));
                }
                segments.add(new Segment(sequence, nameIndex, size, finalCrc, state, lastIndex, markers));
            }
            int runCount = in.readInt();
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < runCount; i++) {
                runs.add(new Run(in.readLong(), in.readLong(), in.readInt(), in.readLong(), in.readInt(), in.readLong()));
            }
            int termCount = in.readInt();
            long[] termStarts = new long[termCount];
            long[] terms = new long[termCount];
            for (int i = 0; i < termCount; i++) {
                termStarts[i] = in.readLong();
                terms[i] = in.readLong();
            }
            if (in.available() != 0) {
                return null;
            }
            return new Checkpoint(generation, scrubbedThrough, segments, metadata, runs, termStarts, terms);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && generation == c.generation && scrubbedThrough == c.scrubbedThrough
                && segments.equals(c.segments) && Arrays.equals(metadata, c.metadata)
                && runs.equals(c.runs) && Arrays.equals(termStarts, c.termStarts) && Arrays.equals(terms, c.terms);
    }

    @Override
    public int hashCode() {
        return segments.hashCode() * 31 + runs.hashCode();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + segments.size() + " segments, " + runs.size() + " runs]";
    }
}

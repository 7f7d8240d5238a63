package dev.jwal.core.engine;

import dev.jwal.core.Entry;
import dev.jwal.core.IndexOutOfRangeException;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Where each live entry of a writable WAL sits. In the tail segment, each entry's own position: its
 * frame's offset and length and the checksum its record continues from, so that a read by index
 * is one positional read whose CRC can still be checked. Once a segment is sealed (the log has
 * moved past it), its positions become {@link SegmentSamples}, a few per 4 KiB, held by
 * {@link SegmentIndexes} in a bounded cache and an index file: memory no longer grows with the
 * log's length. Built while the WAL is replayed and kept current by the log writer: an overwrite
 * drops the suffix it replaces, a purge drops the segments it deleted.
 *
 * <p>Live entries in index order are also in file order (segment, then offset): an overwrite
 * removes every later entry before its replacement is appended. So the entries of one segment
 * form one run of consecutive indexes, and a range is a few contiguous regions of the files.
 *
 * <p>The writer changes it under the write lock; readers look positions up under the read lock
 * and do their I/O after letting go, so a reader never holds up the writer for longer than a
 * lookup. About 16 bytes per entry of the tail segment and a few dozen bytes per sealed segment;
 * terms are kept as the few points where the term changes.
 */
final class EntryIndex {

    /** One entry's frame: where to read it and what its record's checksum continues from. */
    record Position(Run run, long index, long offset, int length, int crcSeed) {
    }

    /**
     * Entries {@code [from, to)} of one run: with their positions while the run's segment is the
     * tail; for a sealed segment, where the run starts and ends, to be read from a sample.
     */
    record Piece(Run run, long from, long to, List<Position> positions, long firstOffset, int firstSeed,
            long endOffset) {

        boolean sealed() {
            return positions == null;
        }
    }

    /**
     * The entries of one segment, consecutive from {@code firstIndex}. Positions are kept in
     * chunks of {@value #CHUNK} entries, so that a large segment never needs one array of
     * megabytes (G1 allocates those as humongous objects, each a collection's worth of work);
     * the first chunk starts small and doubles, for WALs of many small segments.
     */
    static final class Run {
        private static final int CHUNK_BITS = 12;
        private static final int CHUNK = 1 << CHUNK_BITS;
        private static final int FIRST_CHUNK = 64;

        final long sequence;
        final Path path;
        final long firstIndex;
        /** Where the run's first entry's frame is, and what its checksum continues: known exactly, always. */
        private long firstOffset = -1;
        private int firstSeed;
        /** Once sealed: where the run's last frame ended when it was sealed; its positions are dropped. */
        private long endOffset = -1;
        /**
         * Cut short by an overwrite: the replacing entries start a run of their own, so that the
         * frames between a run's first and last entry are its own, never a superseded suffix's.
         */
        private boolean cutShort;
        /** The bytes counted against the sealed runs' budget when its positions were kept. */
        private long keptBytes;
        private long[][] offsets = {new long[FIRST_CHUNK]};
        private int[][] lengths = {new int[FIRST_CHUNK]};
        private int[][] seeds = {new int[FIRST_CHUNK]};
        private int count;
        private DiskFile readHandle;
        private boolean dropped;

        Run(long sequence, Path path, long firstIndex) {
            this.sequence = sequence;
            this.path = path;
            this.firstIndex = firstIndex;
        }

        long lastIndex() {
            return firstIndex + count - 1;
        }

        long offset(int i) {
            return offsets[i >>> CHUNK_BITS][i & (CHUNK - 1)];
        }

        int length(int i) {
            return lengths[i >>> CHUNK_BITS][i & (CHUNK - 1)];
        }

        int seed(int i) {
            return seeds[i >>> CHUNK_BITS][i & (CHUNK - 1)];
        }

        boolean isSealed() {
            return endOffset >= 0;
        }

        private void add(long offset, int length, int seed) {
            if (count == 0) {
                firstOffset = offset;
                firstSeed = seed;
            }
            int slot = room();
            offsets[count >>> CHUNK_BITS][slot] = offset;
            lengths[count >>> CHUNK_BITS][slot] = length;
            seeds[count >>> CHUNK_BITS][slot] = seed;
            count++;
        }

        /** Appends {@code n} positions from {@code from} of the arrays, a chunk's worth at a time. */
        private void addAll(long[] newOffsets, int[] newLengths, int[] newSeeds, int from, int n) {
            if (n > 0 && count == 0) {
                firstOffset = newOffsets[from];
                firstSeed = newSeeds[from];
            }
            while (n > 0) {
                int slot = room();
                int chunk = count >>> CHUNK_BITS;
                int run = Math.min(n, offsets[chunk].length - slot);
                System.arraycopy(newOffsets, from, offsets[chunk], slot, run);
                System.arraycopy(newLengths, from, lengths[chunk], slot, run);
                System.arraycopy(newSeeds, from, seeds[chunk], slot, run);
                count += run;
                from += run;
                n -= run;
            }
        }

        /** Makes room for the entry at {@code count}; returns its slot in its chunk. */
        private int room() {
            int chunk = count >>> CHUNK_BITS;
            int slot = count & (CHUNK - 1);
            if (chunk == offsets.length) {
                offsets = Arrays.copyOf(offsets, chunk * 2);
                lengths = Arrays.copyOf(lengths, chunk * 2);
                seeds = Arrays.copyOf(seeds, chunk * 2);
            }
            if (offsets[chunk] == null) {
                offsets[chunk] = new long[CHUNK];
                lengths[chunk] = new int[CHUNK];
                seeds[chunk] = new int[CHUNK];
            } else if (slot == offsets[chunk].length) {
                // only the first chunk grows; it stops at a whole chunk
                int size = Math.min(CHUNK, slot * 2);
                offsets[chunk] = Arrays.copyOf(offsets[chunk], size);
                lengths[chunk] = Arrays.copyOf(lengths[chunk], size);
                seeds[chunk] = Arrays.copyOf(seeds[chunk], size);
            }
            return slot;
        }

        /**
         * Adds this run's entries to its segment's samples (the first always, the rest a stride
         * apart) and drops its positions: its segment is sealed, and reads start at a sample.
         */
        private void seal(SegmentSamples.Builder samples) {
            if (count > 0) {
                samples.add(firstIndex, firstOffset, firstSeed);
                for (int i = 1; i < count; i++) {
                    samples.offer(firstIndex + i, offset(i), seed(i));
                }
                endOffset = offset(count - 1) + length(count - 1);
            } else {
                endOffset = Math.max(firstOffset, 0);
            }
        }

        /** Whether its exact positions are still held (a sealed run's, while within the budget). */
        boolean hasPositions() {
            return offsets != null;
        }

        /** Bytes its exact positions hold. */
        long positionBytes() {
            return offsets == null ? 0 : 16L * Math.max(count, FIRST_CHUNK);
        }

        /** Drops its exact positions: reads start at a sample from now on. */
        private void dropPositions() {
            offsets = null;
            lengths = null;
            seeds = null;
        }

        /**
         * The handle readers share for this segment, opened on first use; it keeps the file's one
         * channel open while readers use it, whatever the writer releases meanwhile.
         */
        synchronized DiskFile readHandle(dev.jwal.core.io.Disk disk) throws IOException {
            if (dropped) {
                throw new java.nio.file.NoSuchFileException(path.toString(), null, "purged");
            }
            if (readHandle == null) {
                readHandle = disk.openForRead(path);
            }
            return readHandle;
        }

        private synchronized void drop() {
            dropped = true;
            if (readHandle != null) {
                try {
                    readHandle.close();
                } catch (IOException ignored) {
                    // read-only: nothing written could be lost
                }
                readHandle = null;
            }
        }
    }

    /** The most bytes of exact positions kept for sealed runs, besides the tail's. */
    static final long SEALED_POSITIONS_BYTES = 8L << 20;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final java.util.ArrayDeque<Run> sealedWithPositions = new java.util.ArrayDeque<>();
    private long sealedPositionBytes;
    private final List<Run> runs = new ArrayList<>();
    /** firstIndex[i] starts term terms[i]; both grow only at the end, or shrink on truncation. */
    private long[] termStarts = new long[8];
    private long[] terms = new long[8];
    private int termCount;
    /** The snapshot the WAL was opened at: entries at or below it are not served. */
    private final long floor;
    private final long floorTerm;

    /** Where sealed segments' samples are kept; null for an index that never seals (tests). */
    private final SegmentIndexes sealedIndexes;

    EntryIndex(long floor, long floorTerm, SegmentIndexes sealedIndexes) {
        this.floor = floor;
        this.floorTerm = floorTerm;
        this.sealedIndexes = sealedIndexes;
    }

    /** The samples and index files of sealed segments; null when this index keeps positions only. */
    SegmentIndexes sealedIndexes() {
        return sealedIndexes;
    }

    /**
     * Records an entry just written at {@code offset} of the segment {@code sequence}; an index
     * at or below the last one first drops the suffix it overwrites. Writer only.
     */
    void add(long index, long term, long sequence, Path segment, long offset, int length, int crcSeed) {
        lock.writeLock().lock();
        try {
            addLocked(index, term, sequence, segment, offset, length, crcSeed);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Records the entries of one save, just written to segment {@code sequence}: entry {@code i}'s
     * frame is at {@code offsets[i]}, {@code lengths[i]} long, continuing {@code crcSeeds[i]}. One
     * lock for the whole save, taken after its I/O. Writer only.
     */
    void addAll(List<Entry> entries, long sequence, Path segment, long[] offsets, int[] lengths, int[] crcSeeds) {
        int n = entries.size();
        if (n == 0) {
            return;
        }
        lock.writeLock().lock();
        try {
            // The first entry may overwrite, start a run or a term; the rest of the save follows it
            // in the same segment with indexes rising by one (SaveRules refused anything else).
            Entry first = entries.get(0);
            addLocked(first.index(), first.term(), sequence, segment, offsets[0], lengths[0], crcSeeds[0]);
            runs.get(runs.size() - 1).addAll(offsets, lengths, crcSeeds, 1, n - 1);
            for (int i = 1; i < n; i++) {
                Entry entry = entries.get(i);
                if (terms[termCount - 1] != entry.term()) {
                    addTerm(entry.term(), entry.index());
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void addLocked(long index, long term, long sequence, Path segment, long offset, int length, int crcSeed) {
        {
            if (!runs.isEmpty() && Long.compareUnsigned(index, lastIndexLocked()) <= 0) {
                truncateFrom(index);
            }
            Run run = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (run == null || run.sequence != sequence || run.cutShort || run.count == 0 && run.firstIndex != index
                    || run.count > 0 && run.lastIndex() + 1 != index) {
                if (run != null && run.sequence != sequence) {
                    sealBefore(sequence, true);
                }
                run = new Run(sequence, segment, index);
                runs.add(run);
            }
            run.add(offset, length, crcSeed);
            if (termCount == 0 || terms[termCount - 1] != term) {
                addTerm(term, index);
            }
        }
    }

    /**
     * Seals the runs of segment {@code sequence}, which a cut just sealed, and describes them for
     * the checkpoint: in file order, with the term starts among their entries. Writer only.
     */
    Checkpoint.Written sealNow(long sequence, Checkpoint.Segment segment, byte[] metadata) {
        lock.writeLock().lock();
        try {
            List<Checkpoint.Run> described = new ArrayList<>();
            List<long[]> starts = new ArrayList<>();
            for (Run run : runs) {
                if (run.sequence != sequence || run.count == 0) {
                    continue;
                }
                described.add(new Checkpoint.Run(run.sequence, run.firstIndex, run.count, run.firstOffset, run.firstSeed,
                        run.offset(run.count - 1) + run.length(run.count - 1)));
                long last = run.lastIndex();
                starts.add(new long[] {run.firstIndex, termLocked(run.firstIndex)});
                for (int i = 0; i < termCount; i++) {
                    if (Long.compareUnsigned(termStarts[i], run.firstIndex) > 0
                            && Long.compareUnsigned(termStarts[i], last) <= 0) {
                        starts.add(new long[] {termStarts[i], terms[i]});
                    }
                }
            }
            sealBefore(sequence + 1, false);
            long[] termStartArray = new long[starts.size()];
            long[] termArray = new long[starts.size()];
            for (int i = 0; i < starts.size(); i++) {
                termStartArray[i] = starts.get(i)[0];
                termArray[i] = starts.get(i)[1];
            }
            Checkpoint.Written written = new Checkpoint.Written(segment, described, termStartArray, termArray, metadata);
            if (sealedIndexes != null) {
                sealedIndexes.written(written);
            }
            return written;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private long termLocked(long index) {
        int lo = 0;
        int hi = termCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Long.compareUnsigned(termStarts[mid], index) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return terms[lo];
    }

    /**
     * Seals the runs of segments before {@code sequence}: the log has moved on to a later segment,
     * so theirs will never grow again. Their positions become samples, one set per segment, kept
     * by {@link SegmentIndexes} and written to its index file off this thread.
     */
    private void sealBefore(long sequence, boolean catchUp) {
        if (sealedIndexes == null) {
            return;
        }
        int i = runs.size() - 1;
        while (i >= 0 && !runs.get(i).isSealed() && runs.get(i).sequence < sequence) {
            i--;
        }
        // runs [i + 1, size) are unsealed runs of older segments, grouped by segment in file order
        int from = i + 1;
        while (from < runs.size()) {
            Run first = runs.get(from);
            SegmentSamples.Builder samples = new SegmentSamples.Builder();
            int to = from;
            while (to < runs.size() && runs.get(to).sequence == first.sequence) {
                runs.get(to).seal(samples);
                to++;
            }
            sealedIndexes.sealed(first.path, samples.build(), catchUp);
            for (int r = from; r < to; r++) {
                keepPositions(runs.get(r));
            }
            from = to;
        }
    }

    /**
     * Keeps a sealed run's exact positions while the most recently sealed runs' fit in
     * {@link #SEALED_POSITIONS_BYTES}, the oldest dropped first: raft followers catching up and
     * readers near the end of the log read recent segments, one positional read an entry, while
     * the heap stays bounded whatever the log's length.
     */
    private void keepPositions(Run run) {
        run.keptBytes = run.positionBytes();
        sealedWithPositions.addLast(run);
        sealedPositionBytes += run.keptBytes;
        while (sealedPositionBytes > SEALED_POSITIONS_BYTES && !sealedWithPositions.isEmpty()) {
            forgetPositions(sealedWithPositions.peekFirst());
        }
    }

    /** Bytes of exact positions held for sealed runs now. */
    long sealedPositionBytes() {
        lock.readLock().lock();
        try {
            return sealedPositionBytes;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Drops every sealed run's exact positions (tests). */
    void dropSealedPositions() {
        lock.writeLock().lock();
        try {
            while (!sealedWithPositions.isEmpty()) {
                forgetPositions(sealedWithPositions.peekFirst());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A sealed run leaves the budget: evicted, truncated away or purged. */
    private void forgetPositions(Run run) {
        if (sealedWithPositions.remove(run)) {
            sealedPositionBytes -= run.keptBytes;
            run.dropPositions();
        }
    }

    /**
     * Adds the runs and terms {@code checkpoint} recorded for the segments up to
     * {@code lastSequence}, which the open did not read, as sealed runs; runs wholly at or below
     * the floor are left out. Before anything else is added.
     */
    void addFromCheckpoint(Checkpoint checkpoint, Path directory, long lastSequence) {
        java.util.Map<Long, Path> paths = new java.util.HashMap<>();
        for (Checkpoint.Segment segment : checkpoint.segments()) {
            paths.put(segment.sequence(), directory.resolve(
                    new dev.jwal.core.engine.segment.SegmentName(segment.sequence(), segment.nameIndex()).fileName()));
        }
        lock.writeLock().lock();
        try {
            for (Checkpoint.Run recorded : checkpoint.runs()) {
                if (recorded.sequence() > lastSequence
                        || Long.compareUnsigned(recorded.firstIndex() + recorded.count() - 1, floor) <= 0) {
                    continue;
                }
                Run run = new Run(recorded.sequence(), paths.get(recorded.sequence()), recorded.firstIndex());
                run.firstOffset = recorded.firstOffset();
                run.firstSeed = recorded.firstSeed();
                run.count = recorded.count();
                run.endOffset = recorded.endOffset();
                run.offsets = null;
                run.lengths = null;
                run.seeds = null;
                runs.add(run);
            }
            long[] starts = checkpoint.termStarts();
            long[] recordedTerms = checkpoint.terms();
            long lastIndex = checkpoint.segments().stream().filter(s -> s.sequence() == lastSequence).findFirst()
                    .orElseThrow().lastIndexAfter();
            // terms that start after the skipped segments come again from the segments read
            for (int i = 0; i < recordedTerms.length && Long.compareUnsigned(starts[i], lastIndex) <= 0; i++) {
                if (termCount == 0 || terms[termCount - 1] != recordedTerms[i]) {
                    addTerm(recordedTerms[i], starts[i]);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void addTerm(long term, long startIndex) {
        if (termCount == terms.length) {
            terms = Arrays.copyOf(terms, termCount * 2);
            termStarts = Arrays.copyOf(termStarts, termCount * 2);
        }
        terms[termCount] = term;
        termStarts[termCount] = startIndex;
        termCount++;
    }

    private void truncateFrom(long index) {
        while (!runs.isEmpty()) {
            Run last = runs.get(runs.size() - 1);
            if (Long.compareUnsigned(last.firstIndex, index) >= 0) {
                forgetPositions(runs.remove(runs.size() - 1));
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

    /**
     * Forgets the runs of segments deleted by a purge, those older than {@code sequence}, and the
     * index files of the {@code deleted} segments. Writer only.
     */
    void dropSegmentsBefore(long sequence, List<Path> deleted) {
        List<Run> dropped = new ArrayList<>();
        lock.writeLock().lock();
        try {
            while (!runs.isEmpty() && runs.get(0).sequence < sequence) {
                Run purged = runs.remove(0);
                forgetPositions(purged);
                dropped.add(purged);
            }
        } finally {
            lock.writeLock().unlock();
        }
        dropped.forEach(Run::drop);
        if (sealedIndexes != null) {
            sealedIndexes.purged(deleted);
        }
    }

    /** Closes every reader handle: the WAL is closing. */
    void close() {
        lock.writeLock().lock();
        try {
            runs.forEach(Run::drop);
            runs.clear();
        } finally {
            lock.writeLock().unlock();
        }
        if (sealedIndexes != null) {
            sealedIndexes.close();
        }
    }

    /** The last indexed entry, or the floor when there is none. */
    long lastIndex() {
        lock.readLock().lock();
        try {
            return lastIndexLocked();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The first indexed entry still served (after purges), or the one after the floor. */
    long firstIndex() {
        lock.readLock().lock();
        try {
            return firstIndexLocked();
        } finally {
            lock.readLock().unlock();
        }
    }

    private long lastIndexLocked() {
        for (int i = runs.size() - 1; i >= 0; i--) {
            if (runs.get(i).count > 0) {
                return runs.get(i).lastIndex();
            }
        }
        return floor;
    }

    private long firstIndexLocked() {
        for (Run run : runs) {
            if (run.count > 0) {
                // a run from a checkpoint may start at or below the floor, which is never served
                return Long.compareUnsigned(run.firstIndex, floor) > 0 ? run.firstIndex : floor + 1;
            }
        }
        return floor + 1;
    }

    /**
     * Where entries {@code [from, to)} are, run by run.
     *
     * @throws IndexOutOfRangeException when part of the range is not served
     */
    List<Piece> pieces(long from, long to) {
        lock.readLock().lock();
        try {
            long first = firstIndexLocked();
            long last = lastIndexLocked();
            if (Long.compareUnsigned(from, floor) <= 0) {
                throw new IndexOutOfRangeException(from, first, last, "at or below the snapshot the WAL was opened at, "
                        + Long.toUnsignedString(floor));
            }
            if (Long.compareUnsigned(from, first) < 0) {
                throw new IndexOutOfRangeException(from, first, last, "its segment was purged");
            }
            if (Long.compareUnsigned(to - 1, last) > 0) {
                throw new IndexOutOfRangeException(to - 1, first, last, "after the last index");
            }
            List<Piece> pieces = new ArrayList<>(2);
            int r = runOf(from);
            long index = from;
            while (Long.compareUnsigned(index, to) < 0) {
                Run run = runs.get(r++);
                if (run.count == 0) {
                    continue;
                }
                long end = Long.compareUnsigned(run.lastIndex() + 1, to) < 0 ? run.lastIndex() + 1 : to;
                if (run.isSealed() && !run.hasPositions()) {
                    pieces.add(new Piece(run, index, end, null, run.firstOffset, run.firstSeed, run.endOffset));
                } else {
                    List<Position> positions = new ArrayList<>((int) Math.min(end - index, 1 << 16));
                    for (long at = index; at != end; at++) {
                        int i = (int) (at - run.firstIndex);
                        positions.add(new Position(run, at, run.offset(i), run.length(i), run.seed(i)));
                    }
                    pieces.add(new Piece(run, index, end, positions, run.firstOffset, run.firstSeed, -1));
                }
                index = end;
            }
            return pieces;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The term of the entry at {@code index}; at the floor, the snapshot's. */
    long term(long index) {
        lock.readLock().lock();
        try {
            long first = firstIndexLocked();
            long last = lastIndexLocked();
            if (index == floor) {
                return floorTerm;
            }
            if (Long.compareUnsigned(index, floor) < 0 || Long.compareUnsigned(index, last) > 0) {
                throw new IndexOutOfRangeException(index, first, last, Long.compareUnsigned(index, floor) < 0
                        ? "below the snapshot the WAL was opened at, " + Long.toUnsignedString(floor)
                        : "after the last index");
            }
            return termLocked(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    private int runOf(long index) {
        int lo = 0;
        int hi = runs.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Long.compareUnsigned(runs.get(mid).firstIndex, index) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        // runs emptied by a truncation may sit before a run starting at the same index
        while (runs.get(lo).count == 0 || Long.compareUnsigned(runs.get(lo).lastIndex(), index) < 0) {
            lo++;
        }
        return lo;
    }
}

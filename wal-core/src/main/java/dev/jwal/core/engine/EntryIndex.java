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
 * Where each live entry of a writable WAL sits: its segment, the offset and length of its frame,
 * and the checksum its record continues from, so that a read by index is one positional read
 * whose CRC can still be checked. Built while the WAL is replayed and kept current by the log
 * writer: an overwrite drops the suffix it replaces, a purge drops the segments it deleted.
 *
 * <p>Live entries in index order are also in file order (segment, then offset): an overwrite
 * removes every later entry before its replacement is appended. So the entries of one segment
 * form one run of consecutive indexes, and a range is a few contiguous regions of the files.
 *
 * <p>The writer changes it under the write lock; readers look positions up under the read lock
 * and do their I/O after letting go, so a reader never holds up the writer for longer than a
 * lookup. About 16 bytes per entry; terms are kept as the few points where the term changes.
 */
final class EntryIndex {

    /** One entry's frame: where to read it and what its record's checksum continues from. */
    record Position(Run run, long index, long offset, int length, int crcSeed) {
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

        private void add(long offset, int length, int seed) {
            int slot = room();
            offsets[count >>> CHUNK_BITS][slot] = offset;
            lengths[count >>> CHUNK_BITS][slot] = length;
            seeds[count >>> CHUNK_BITS][slot] = seed;
            count++;
        }

        /** Appends {@code n} positions from {@code from} of the arrays, a chunk's worth at a time. */
        private void addAll(long[] newOffsets, int[] newLengths, int[] newSeeds, int from, int n) {
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

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<Run> runs = new ArrayList<>();
    /** firstIndex[i] starts term terms[i]; both grow only at the end, or shrink on truncation. */
    private long[] termStarts = new long[8];
    private long[] terms = new long[8];
    private int termCount;
    /** The snapshot the WAL was opened at: entries at or below it are not served. */
    private final long floor;
    private final long floorTerm;

    EntryIndex(long floor, long floorTerm) {
        this.floor = floor;
        this.floorTerm = floorTerm;
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
            if (run == null || run.sequence != sequence || run.count == 0 && run.firstIndex != index
                    || run.count > 0 && run.lastIndex() + 1 != index) {
                run = new Run(sequence, segment, index);
                runs.add(run);
            }
            run.add(offset, length, crcSeed);
            if (termCount == 0 || terms[termCount - 1] != term) {
                addTerm(term, index);
            }
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
                runs.remove(runs.size() - 1);
                continue;
            }
            if (Long.compareUnsigned(last.lastIndex(), index) >= 0) {
                last.count = (int) (index - last.firstIndex);
            }
            break;
        }
        while (termCount > 0 && Long.compareUnsigned(termStarts[termCount - 1], index) >= 0) {
            termCount--;
        }
    }

    /** Forgets the runs of segments deleted by a purge: those older than {@code sequence}. Writer only. */
    void dropSegmentsBefore(long sequence) {
        List<Run> dropped = new ArrayList<>();
        lock.writeLock().lock();
        try {
            while (!runs.isEmpty() && runs.get(0).sequence < sequence) {
                dropped.add(runs.remove(0));
            }
        } finally {
            lock.writeLock().unlock();
        }
        dropped.forEach(Run::drop);
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
                return run.firstIndex;
            }
        }
        return floor + 1;
    }

    /**
     * The positions of entries {@code [from, to)}.
     *
     * @throws IndexOutOfRangeException when part of the range is not served
     */
    List<Position> positions(long from, long to) {
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
            List<Position> positions = new ArrayList<>((int) Math.min(to - from, 1 << 16));
            int r = runOf(from);
            for (long index = from; Long.compareUnsigned(index, to) < 0; index++) {
                Run run = runs.get(r);
                if (Long.compareUnsigned(index, run.lastIndex()) > 0) {
                    run = runs.get(++r);
                }
                int i = (int) (index - run.firstIndex);
                positions.add(new Position(run, index, run.offset(i), run.length(i), run.seed(i)));
            }
            return positions;
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

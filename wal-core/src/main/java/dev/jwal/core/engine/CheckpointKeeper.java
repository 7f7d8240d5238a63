package dev.jwal.core.engine;

import dev.jwal.core.WalException;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps the checkpoint up to date and the sealed segments checked, on the index thread, off every
 * caller's path: after the open it reads the sealed segments the checkpoint vouched for (a scrub,
 * at the examining pace, so that damage since they were written is found although the open did
 * not read them), then each segment sealed since, adding it to the checkpoint and writing the
 * checkpoint again. A segment that does not read back intact stops both, and is reported.
 */
final class CheckpointKeeper {

    private static final System.Logger LOG = System.getLogger(CheckpointKeeper.class.getName());

    private final Disk disk;
    private final Disk scrubDisk;
    private final Path directory;
    private final long readLimit;
    private Checkpoint current = Checkpoint.EMPTY;
    private volatile ScrubState scrub = new ScrubState(0, 0, null);
    private boolean stopped;
    private boolean generationKnown;

    /**
     * How far the check of the sealed segments has got: segments read back intact, of those sealed
     * so far, and the damage found, if any.
     */
    record ScrubState(int verified, int sealed, WalException problem) {
    }

    CheckpointKeeper(Disk disk, Disk scrubDisk, Path directory, long readLimit) {
        this.disk = disk;
        this.scrubDisk = scrubDisk;
        this.directory = directory;
        this.readLimit = readLimit;
    }

    ScrubState scrub() {
        return scrub;
    }

    /**
     * After an open: scrubs what the checkpoint vouches for, then catches up. {@code cover} is the
     * open's, when it used the checkpoint; else it is looked for here, off the open's path. Index thread.
     */
    void opened(CheckpointFile.Cover cover) {
        Checkpoint loaded = CheckpointFile.load(disk, directory);
        if (cover == null && loaded != null) {
            try {
                cover = CheckpointFile.cover(loaded, SegmentDirectory.list(disk, directory), disk, directory, readLimit);
            } catch (RuntimeException e) {
                cover = null;
            }
        }
        generationKnown = true;
        if (cover == null && loaded != null) {
            // not this directory's any more: built again, in a later generation than the files there
            current = empty(loaded.generation());
        }
        if (cover != null) {
            current = cover.checkpoint();
            verifyCovered();
        }
        catchUp();
    }

    /** Adds to the checkpoint every sealed segment it does not hold yet. Index thread. */
    void catchUp() {
        if (stopped) {
            return;
        }
        if (!generationKnown) {
            // a WAL just created, in a directory that may hold another's leftover checkpoint
            generationKnown = true;
            Checkpoint leftover = CheckpointFile.load(disk, directory);
            if (leftover != null) {
                current = empty(leftover.generation());
            }
        }
        List<SegmentName> names;
        try {
            names = SegmentDirectory.list(disk, directory);
        } catch (RuntimeException e) {
            return;
        }
        if (names.size() < 2) {
            return;
        }
        long oldest = names.get(0).sequence();
        current = current.from(oldest);
        int from = 0;
        if (!current.segments().isEmpty()) {
            long last = current.last().sequence();
            while (from < names.size() && names.get(from).sequence() <= last) {
                from++;
            }
            if (from != current.segments().size()) {
                // the directory is not what the checkpoint describes (a repair, a restore): again from
                // the oldest, in a later generation than the files there
                current = empty(current.generation());
                from = 0;
            }
        }
        for (int i = from; i < names.size() - 1; i++) {
            SegmentName name = names.get(i);
            Path path = directory.resolve(name.fileName());
            CheckpointBuilder builder = new CheckpointBuilder(current, readLimit);
            try (DiskFile file = scrubDisk.openForRead(path)) {
                builder.add(name, path, file);
            } catch (NoSuchFileException purged) {
                return;
            } catch (CheckpointBuilder.DoesNotFollowException e) {
                LOG.log(System.Logger.Level.INFO, "checkpoint of {0} stops before {1}: {2}", directory, name,
                        e.getMessage());
                stopped = true;
                break;
            } catch (WalException damage) {
                found(damage);
                break;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, "checkpoint of {0} stops before {1}: {2}", directory, name,
                        e.toString());
                break;
            }
            current = builder.build();
            scrub = new ScrubState(current.segments().size(), names.size() - 1, null);
            CheckpointFile.save(disk, directory, current);
        }
        if (scrub.problem() == null) {
            scrub = new ScrubState(current.segments().size(), names.size() - 1, null);
        }

    }

    /** Reads each segment the checkpoint vouched for, its checksums chained, to the final one it recorded. */
    private void verifyCovered() {
        List<Checkpoint.Segment> segments = current.segments();
        scrub = new ScrubState(0, segments.size(), null);
        for (int i = 0; i < segments.size(); i++) {
            Checkpoint.Segment recorded = segments.get(i);
            Path path = directory.resolve(new SegmentName(recorded.sequence(), recorded.nameIndex()).fileName());
            try (DiskFile file = scrubDisk.openForRead(path)) {
                FrameDecoder decoder = new FrameDecoder(List.of(new FrameDecoder.Source(path, file)), readLimit, false);
                if (i > 0) {
                    decoder.crc().seed(segments.get(i - 1).finalCrc());
                }
                RecordView record = new RecordView();
                while (decoder.next(record)) {
                    // every record's checksum is checked by the decoder
                }
                if (decoder.crc().value() != recorded.finalCrc()) {
                    throw new dev.jwal.core.CrcMismatchException(path, decoder.lastValidOffset());
                }
            } catch (NoSuchFileException purged) {
                // purged meanwhile: nothing left to check
            } catch (WalException damage) {
                found(damage);
                return;
            } catch (IOException e) {
                found(new dev.jwal.core.WalIoException("scrubbing", path, e));
                return;
            }
            scrub = new ScrubState(i + 1, segments.size(), null);
        }
    }

    private static Checkpoint empty(long generation) {
        return new Checkpoint(generation, List.of(), null, List.of(), new long[0], new long[0]);
    }

    private void found(WalException damage) {
        stopped = true;
        scrub = new ScrubState(scrub.verified(), scrub.sealed(), damage);
        LOG.log(System.Logger.Level.ERROR, "a sealed segment of " + directory + " does not read back intact", damage);
        // The checkpoint no longer vouches for anything: an empty one, newer than both files, makes
        // the next open read every segment and decide.
        CheckpointFile.save(disk, directory, empty(current.generation() + 1));
        CheckpointFile.save(disk, directory, empty(current.generation() + 2));
    }
}

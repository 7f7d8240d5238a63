package dev.jwal.core.engine;

import dev.jwal.core.CrcMismatchException;
import dev.jwal.core.WalException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.engine.codec.RecordView;
import dev.jwal.core.engine.segment.FrameDecoder;
import dev.jwal.core.engine.segment.SegmentDirectory;
import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.Disk;
import dev.jwal.core.io.DiskFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Keeps the checkpoint up to date and the sealed segments checked, on the index thread, off every
 * caller's path. Each segment sealed is read once, whole, to extend the checkpoint (the open after
 * a crash then reads only what was sealed since). After an open, the segments the checkpoint
 * vouched for are read again, one task a segment so that extending the checkpoint is never kept
 * waiting, at the scrub's pace: the open did not read them, and damage since they were written is
 * found here. How far that round got is kept in the checkpoint, so that a restart resumes it. A
 * segment that does not read back intact stops both, and is reported as found.
 */
final class CheckpointKeeper {

    private static final System.Logger LOG = System.getLogger(CheckpointKeeper.class.getName());

    private final Disk disk;
    private final Disk scrubDisk;
    private final Path directory;
    private final long readLimit;
    private final Executor scrubThread;
    private Checkpoint current = Checkpoint.EMPTY;
    private final Deque<Long> toScrub = new ArrayDeque<>();
    private volatile ScrubState scrub = new ScrubState(0, 0, null);
    private int scrubbed;
    private boolean stopped;
    private boolean generationKnown;
    /** Set by the WAL's close: a scrub step stops where it is, to go on after the next open. */
    private volatile boolean closing;

    /**
     * How far the check of the sealed segments has got: segments known to read back intact, of
     * those sealed so far, and the damage found, if any.
     */
    record ScrubState(int verified, int sealed, WalException problem) {
    }

    /**
     * The checkpoint is kept on the index thread, which calls {@link #opened} and {@link #catchUp};
     * the scrub runs on {@code scrubThread}, so that its paced reads never hold the checkpoint up.
     * What both change is changed under this object's lock.
     */
    CheckpointKeeper(Disk disk, Disk scrubDisk, Path directory, long readLimit, Executor scrubThread) {
        this.disk = disk;
        this.scrubDisk = scrubDisk;
        this.directory = directory;
        this.readLimit = readLimit;
        this.scrubThread = scrubThread;
    }

    ScrubState scrub() {
        return scrub;
    }

    /** The open found {@code sealed} sealed segments: none is checked yet, as far as anyone asking knows. */
    void expect(int sealed) {
        scrub = new ScrubState(0, sealed, null);
    }

    /** The WAL is closing: the scrub stops at once; a catch-up still finishes, so the checkpoint is current. */
    void closing() {
        closing = true;
    }

    /**
     * After an open: the segments the checkpoint vouches for are queued for the scrub (from where
     * an earlier round stopped), the checkpoint catches up, and the scrub starts. {@code cover} is
     * the open's, when it used the checkpoint; else it is looked for here, off the open's path.
     */
    synchronized void opened(CheckpointFile.Cover cover) {
        Checkpoint loaded = CheckpointFile.load(disk, directory);
        if (cover == null && loaded != null) {
            try {
                cover = CheckpointFile.cover(loaded, SegmentDirectory.list(disk, directory), disk, directory, readLimit);
            } catch (RuntimeException e) {
                cover = null;
            }
        }
        generationKnown = true;
        if (cover != null) {
            current = cover.checkpoint();
            long resumeAfter = current.scrubbedThrough();
            for (Checkpoint.Segment segment : current.segments()) {
                if (segment.sequence() > resumeAfter) {
                    toScrub.add(segment.sequence());
                }
            }
            // the segments the last round checked count as checked
            scrubbed = current.segments().size() - toScrub.size();
        } else if (loaded != null) {
            // not this directory's any more: built again, in a later generation than the files there
            current = empty(loaded.generation());
        }
        catchUp();
        scrubThread.execute(this::scrubNext);
    }

    /** Adds to the checkpoint every sealed segment it does not hold yet. Index thread. */
    synchronized void catchUp() {
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
        current = current.from(names.get(0).sequence());
        int from = 0;
        if (!current.segments().isEmpty()) {
            long last = current.last().sequence();
            while (from < names.size() && names.get(from).sequence() <= last) {
                from++;
            }
            if (from != current.segments().size()) {
                // the directory is not what the checkpoint describes (a repair, a restore): again
                // from the oldest, in a later generation than the files there
                current = empty(current.generation());
                toScrub.clear();
                scrubbed = 0;
                from = 0;
            }
        }
        for (int i = from; i < names.size() - 1; i++) {
            SegmentName name = names.get(i);
            Path path = directory.resolve(name.fileName());
            CheckpointBuilder builder = new CheckpointBuilder(current, readLimit);
            try (DiskFile file = disk.openForRead(path)) {
                builder.add(name, path, file);
            } catch (NoSuchFileException purged) {
                return;
            } catch (CheckpointBuilder.DoesNotFollowException e) {
                LOG.log(System.Logger.Level.INFO, "the checkpoint of {0} stops before {1}: {2}", directory, name,
                        e.getMessage());
                stopped = true;
                return;
            } catch (WalException damage) {
                found(damage);
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, "the checkpoint of {0} stops before {1}: {2}", directory, name,
                        e.toString());
                return;
            }
            current = builder.build();
            scrubbed++;
            CheckpointFile.save(disk, directory, current);
        }
        publish(names.size() - 1);
    }

    /**
     * A segment the writer wrote whole was sealed: added from its summary when the checkpoint
     * reaches the segment before it, else the checkpoint catches up by reading. Index thread.
     */
    synchronized void written(Checkpoint.Written written) {
        if (stopped) {
            return;
        }
        if (!current.segments().isEmpty() && current.last().sequence() + 1 == written.segment().sequence()) {
            CheckpointBuilder builder = new CheckpointBuilder(current, readLimit);
            try {
                builder.add(written);
            } catch (CheckpointBuilder.DoesNotFollowException e) {
                LOG.log(System.Logger.Level.INFO, "the checkpoint of {0} stops before segment {1}: {2}", directory,
                        written.segment().sequence(), e.getMessage());
                stopped = true;
                return;
            }
            current = builder.build();
            scrubbed++;
            CheckpointFile.save(disk, directory, current);
            publish(Math.max(scrub.sealed(), current.segments().size()));
            return;
        }
        catchUp();
    }

    /** Reads the next queued segment the checkpoint vouched for, then queues the step after. */
    private void scrubNext() {
        Checkpoint.Segment recorded = null;
        Checkpoint.Segment previous = null;
        long sequence;
        synchronized (this) {
            if (stopped || closing) {
                return;
            }
            Long next = toScrub.poll();
            if (next == null) {
                if (current.scrubbedThrough() != -1) {
                    current = current.scrubbedThrough(-1);
                    CheckpointFile.save(disk, directory, current);
                }
                return;
            }
            sequence = next;
            for (Checkpoint.Segment segment : current.segments()) {
                if (segment.sequence() == sequence) {
                    recorded = segment;
                    break;
                }
                previous = segment;
            }
        }
        if (recorded != null) {
            WalException damage = check(recorded, previous);
            synchronized (this) {
                if (damage != null) {
                    found(damage);
                    return;
                }
                if (closing) {
                    return;
                }
                scrubbed++;
                if (current.segments().stream().anyMatch(s -> s.sequence() == sequence)) {
                    current = current.scrubbedThrough(sequence);
                    CheckpointFile.save(disk, directory, current);
                }
            }
        }
        synchronized (this) {
            publish(scrub.sealed());
        }
        if (!closing) {
            scrubThread.execute(this::scrubNext);
        }
    }

    /** Reads one segment whole, its checksums chained from the one before; the damage found, or null. */
    private WalException check(Checkpoint.Segment recorded, Checkpoint.Segment previous) {
        Path path = directory.resolve(new SegmentName(recorded.sequence(), recorded.nameIndex()).fileName());
        try (DiskFile file = scrubDisk.openForRead(path)) {
            FrameDecoder decoder = new FrameDecoder(List.of(new FrameDecoder.Source(path, file)), readLimit, false);
            if (previous != null) {
                decoder.crc().seed(previous.finalCrc());
            }
            RecordView record = new RecordView();
            while (decoder.next(record)) {
                // the decoder checks every record's checksum, chained
                if (closing) {
                    return null;
                }
            }
            if (decoder.crc().value() != recorded.finalCrc()) {
                return new CrcMismatchException(path, decoder.lastValidOffset());
            }
            return null;
        } catch (NoSuchFileException purged) {
            return null;
        } catch (WalException damage) {
            return damage;
        } catch (IOException e) {
            return new WalIoException("checking in the background", path, e);
        }
    }

    private void publish(int sealed) {
        if (scrub.problem() == null) {
            scrub = new ScrubState(scrubbed, Math.max(sealed, scrubbed), null);
        }
    }

    private static Checkpoint empty(long generation) {
        return new Checkpoint(generation, -1, List.of(), null, List.of(), new long[0], new long[0]);
    }

    private void found(WalException damage) {
        stopped = true;
        toScrub.clear();
        scrub = new ScrubState(scrubbed, scrub.sealed(), damage);
        LOG.log(System.Logger.Level.ERROR, "a sealed segment of " + directory + " does not read back intact", damage);
        // The checkpoint no longer vouches for anything: an empty one, newer than both files, makes
        // the next open read every segment and decide.
        CheckpointFile.save(disk, directory, empty(current.generation() + 1));
        CheckpointFile.save(disk, directory, empty(current.generation() + 2));
    }
}

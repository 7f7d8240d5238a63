package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.FileSequenceGapException;
import dev.jwal.core.NoWalFilesException;
import dev.jwal.core.ReadableAfterDamageException;
import dev.jwal.core.SegmentTruncatedException;
import dev.jwal.core.SnapshotMismatchException;
import dev.jwal.core.SnapshotNotFoundException;
import dev.jwal.core.UnexpectedEofException;
import dev.jwal.core.WalCorruptionException;
import dev.jwal.core.WalException;
import dev.jwal.core.WalExistsException;
import dev.jwal.core.WalIoException;
import dev.jwal.core.WalLockedException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a WAL that failed to start in terms an operator can act on: who holds the lock, what
 * is not writable, whether {@code jwal repair} can help with damage, which snapshot was missing.
 */
class WalFailureAnalyzer extends AbstractFailureAnalyzer<WalException> {

    /** The operator's command, as a user has it once installed (not a path in jwal's build tree). */
    private static final String CLI = "jwal";

    /** Said after every action that names the command, for an operator who does not have it yet. */
    private static final String WHERE_CLI_COMES_FROM = " (`jwal` is jwal's operator command: the section"
            + " \"The jwal command\" of jwal's docs/operations.md says how to get it.)";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WalException cause) {
        String where = where(cause);
        if (cause instanceof WalLockedException) {
            return new FailureAnalysis("The WAL segment " + where + " is locked by another writer: another process"
                    + " (or another Wal in this JVM) has this WAL open.",
                    "Stop the other process first (`fuser -v " + where + "` shows it), or set wal.directory to this"
                            + " node's own directory. Two writers on one WAL would corrupt it, so jwal refuses.",
                    cause);
        }
        if (cause instanceof WalExistsException) {
            return new FailureAnalysis("Cannot create a WAL in " + where + ": " + cause.getMessage(),
                    "Set wal.directory to a new or empty directory. jwal never deletes files it did not write.",
                    cause);
        }
        if (cause instanceof ReadableAfterDamageException damage) {
            return new FailureAnalysis("The WAL is damaged at " + where + " (" + damage.damage() + "), and "
                    + damage.readable().describe() + " after the damage read back intact. A torn write leaves"
                    + " nothing readable behind it, so this is corruption of data that was once whole, and nothing"
                    + " was cut: a repair there would lose those records.",
                    "Either restore this node's WAL directory from a backup or a peer (a raft member is removed and"
                            + " re-added), or, when nothing else holds those records, cut them off knowingly: `" + CLI
                            + " repair --discard-readable " + directory(cause) + "` says what it will discard, asks,"
                            + " and keeps the whole segment as <segment>.broken. wal.repair-torn-tail never cuts"
                            + " readable records." + WHERE_CLI_COMES_FROM,
                    cause);
        }
        if (cause instanceof UnexpectedEofException eof && !eof.isTornTail()) {
            return new FailureAnalysis("The WAL is corrupted at " + where + ": " + cause.getMessage(),
                    "Repair cannot fix this: it is not a torn last record (" + (cause instanceof
                            SegmentTruncatedException ? "a segment that is not the last is short" : "see above")
                            + "). Run `" + CLI + " verify " + directory(cause) + "` to see what is readable, then"
                            + " restore this node's data from a backup or a peer (a raft member is removed and"
                            + " re-added). Do not delete or edit segments by hand." + WHERE_CLI_COMES_FROM,
                    cause);
        }
        if (cause instanceof FileSequenceGapException) {
            return new FailureAnalysis("Segments of the WAL are missing or duplicated: " + cause.getMessage(),
                    "Segments are only added at the end and removed from the front, so this is damage to the"
                            + " directory: restore the missing segment from a backup, or this node's data from a"
                            + " peer; remove a copied segment that does not belong (`" + CLI + " segments "
                            + directory(cause) + "` lists them)." + WHERE_CLI_COMES_FROM,
                    cause);
        }
        if (cause instanceof UnexpectedEofException) {
            return new FailureAnalysis("The WAL ends inside a torn record at " + where + ": a write that a crash"
                    + " or power loss interrupted. Records before it are intact.",
                    "Repair can fix this: it cuts the torn record off, after copying the segment to"
                            + " <segment>.broken. Run `" + CLI + " repair " + directory(cause) + "`, or set"
                            + " wal.repair-torn-tail=true to repair at startup." + WHERE_CLI_COMES_FROM,
                    cause);
        }
        if (cause instanceof WalCorruptionException) {
            return new FailureAnalysis("The WAL is corrupted at " + where + ": " + cause.getMessage(),
                    "Repair cannot fix this: it only cuts off a torn last record, and this damage is elsewhere"
                            + " or of another kind. Run `" + CLI + " verify " + directory(cause) + "` to see what"
                            + " is readable, then restore this node's data from a backup or a peer (a raft member"
                            + " is removed and re-added). Do not delete or edit segments by hand." + WHERE_CLI_COMES_FROM,
                    cause);
        }
        if (cause instanceof SnapshotNotFoundException || cause instanceof SnapshotMismatchException) {
            return new FailureAnalysis("The WAL does not hold the snapshot it was asked to open at: "
                    + cause.getMessage(),
                    "Return one of the WAL's valid snapshots from your WalSnapshotSelector bean (`" + CLI
                            + " snapshots <directory>` lists them). A snapshot file from another node, or one newer"
                            + " than the WAL recorded, causes this." + WHERE_CLI_COMES_FROM,
                    cause);
        }
        if (cause instanceof NoWalFilesException) {
            return new FailureAnalysis("Segments of the WAL are missing: " + cause.getMessage(),
                    "Restore the missing segment files from a backup, or open at a snapshot whose segment is"
                            + " present (`" + CLI + " segments <directory>` lists them)." + WHERE_CLI_COMES_FROM,
                    cause);
        }
        if (cause instanceof WalApiMismatchException mismatch) {
            String wrote = mismatch.found().name().toLowerCase(java.util.Locale.ROOT);
            return new FailureAnalysis(cause.getMessage(),
                    "Check wal.directory: it points at a WAL of another kind. If this application is meant to use"
                            + " that directory, set wal.api=" + wrote + " (the " + (mismatch.found() == WalApi.LOG
                                    ? "WalLog bean" : "Wal bean") + "); one API per directory.",
                    cause);
        }
        if (cause instanceof WalMetadataMismatchException mismatch) {
            return new FailureAnalysis(cause.getMessage(),
                    "Check wal.directory: it points at the WAL of another node or cluster. If the metadata"
                            + " really changed, set wal.metadata to what the WAL holds.",
                    cause);
        }
        if (cause instanceof WalIoException && notWritable(cause)) {
            return new FailureAnalysis("The WAL directory " + where + " cannot be written: "
                    + cause.getCause().getMessage(),
                    "Make the directory writable by the user this application runs as (owner, mode 700), or"
                            + " set wal.directory to a writable path.",
                    cause);
        }
        if (cause instanceof WalIoException && noSpace(cause)) {
            return new FailureAnalysis("The file system holding the WAL is full: " + cause.getMessage(),
                    "Free space on it (`df -h " + directory(cause) + "` shows how much is left), or set"
                            + " wal.directory to a file system with room, then start again. Nothing was cut or"
                            + " lost: a torn-tail repair copies the whole segment to <segment>.broken before it"
                            + " cuts, and needs room for that copy first.",
                    cause);
        }
        if (cause instanceof WalIoException) {
            return new FailureAnalysis("An I/O operation on the WAL failed: " + cause.getMessage(),
                    "The operating system refused or failed it (the cause above says how). Check "
                            + (cause.file().isPresent() ? where : "wal.directory")
                            + " and the file system under it (permissions, mount options, and the kernel log"
                            + " for device errors), then start again; `" + CLI + " verify <directory>` reads the"
                            + " log without changing it." + WHERE_CLI_COMES_FROM,
                    cause);
        }
        String named = cause.file().isEmpty() ? "the cause above"
                : cause.offset() < 0 ? "the file named above (" + where + ")" : "the file and offset named above";
        return new FailureAnalysis("The WAL failed to start: " + cause.getMessage(),
                "Check " + named + "; `" + CLI + " verify <directory>` reads the whole log without changing it."
                        + WHERE_CLI_COMES_FROM,
                    cause);
    }

    /** Whether the failure, or one of its causes, is a full file system (ENOSPC). */
    private static boolean noSpace(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    private static boolean notWritable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof AccessDeniedException) {
                return true;
            }
            if (t instanceof FileSystemException fs && fs.getReason() != null
                    && fs.getReason().toLowerCase(java.util.Locale.ROOT).contains("read-only")) {
                return true;
            }
        }
        return false;
    }

    private static String where(WalException cause) {
        String file = cause.file().map(Path::toString).orElse("?");
        return cause.offset() < 0 ? file : file + " offset " + cause.offset();
    }

    private static String directory(WalException cause) {
        return cause.file().map(f -> f.toString().endsWith(".wal") ? f.getParent() : f).map(Path::toString)
                .orElse("<directory>");
    }
}

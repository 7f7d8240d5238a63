package dev.jwal.sample;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwal.core.WalSnapshot;
import dev.jwal.sample.command.KvPair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot files in one directory, named {@code <term>-<index>.snap} in 16 hex digits as
 * etcd names its own. A file is the magic {@code JWKVSNP1}, the index, term and pair count (big
 * endian), the pairs as length-delimited {@code KvPair} messages, and a CRC-32C of all of that.
 * Each is written whole under a temporary name, fsynced, renamed into place, and the directory
 * fsynced, so that a crash leaves either no file or a complete one.
 */
public class SnapshotFiles {

    private static final Logger log = LoggerFactory.getLogger(SnapshotFiles.class);
    private static final byte[] MAGIC = "JWKVSNP1".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.snap");
    private static final String TEMPORARY = ".tmp";
    private static final String BROKEN = ".broken";
    private static final Set<StandardOpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final Path directory;

    public SnapshotFiles(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public Path directory() {
        return directory;
    }

    /** Writes a snapshot durably and returns its file. */
    public Path write(KvSnapshot snapshot) throws IOException {
        createDirectory();
        Path target = directory.resolve(fileName(snapshot.term(), snapshot.index()));
        Path temporary = directory.resolve(target.getFileName() + TEMPORARY);
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(temporary, CREATE_NEW, privateFile())) {
            OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            CheckedOutputStream checked = new CheckedOutputStream(file, new CRC32C());
            DataOutputStream out = new DataOutputStream(checked);
            out.write(MAGIC);
            out.writeLong(snapshot.index());
            out.writeLong(snapshot.term());
            out.writeLong(snapshot.values().size());
            KvPair.Builder pair = KvPair.newBuilder();
            for (Map.Entry<String, ByteString> entry : snapshot.values().entrySet()) {
                pair.setKey(entry.getKey()).setValue(entry.getValue()).build().writeDelimitedTo(out);
            }
            out.flush();
            new DataOutputStream(file).writeInt((int) checked.getChecksum().getValue());
            file.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        return target;
    }

    /**
     * The newest snapshot that {@code usable} accepts and that reads back whole. A file that
     * fails its checksum or is cut short is renamed to {@code *.broken}, as etcd does, so that it
     * is neither loaded nor counted as one of the snapshots retained.
     */
    public Optional<KvSnapshot> loadNewest(Predicate<WalSnapshot> usable) throws IOException {
        List<Path> files = list();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            WalSnapshot marker = markerOf(file);
            if (!usable.test(marker)) {
                log.info("Skipping snapshot {}: the WAL holds no record of it", file);
                continue;
            }
            try {
                return Optional.of(read(file));
            } catch (SnapshotCorruptException e) {
                Path broken = file.resolveSibling(file.getFileName() + BROKEN);
                log.warn("{}; renamed it to {}", e.getMessage(), broken.getFileName());
                Files.move(file, broken, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory();
            }
        }
        return Optional.empty();
    }

    /** Reads one snapshot file, checking its checksum. */
    public KvSnapshot read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32C());
            DataInputStream in = new DataInputStream(checked);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new SnapshotCorruptException(file, "it does not start with " + new String(MAGIC, StandardCharsets.US_ASCII));
            }
            long index = in.readLong();
            long term = in.readLong();
            long count = in.readLong();
            TreeMap<String, ByteString> values = new TreeMap<>();
            for (long i = 0; i < count; i++) {
                KvPair pair = KvPair.parseDelimitedFrom(in);
                if (pair == null) {
                    throw new SnapshotCorruptException(file, "it ends after " + i + " of " + count + " pairs");
                }
                values.put(pair.getKey(), pair.getValue());
            }
            int computed = (int) checked.getChecksum().getValue();
            int stored = new DataInputStream(raw).readInt();
            if (computed != stored || raw.read() != -1) {
                throw new SnapshotCorruptException(file, computed != stored
                        ? "its CRC-32C does not match its contents" : "bytes follow its checksum");
            }
            WalSnapshot named = markerOf(file);
            if (named.index() != index || named.term() != term) {
                throw new SnapshotCorruptException(file, "its name does not match the index and term inside it");
            }
            return new KvSnapshot(index, term, values);
        } catch (EOFException | InvalidProtocolBufferException e) {
            throw new SnapshotCorruptException(file, "it is cut short or garbled (" + e.getMessage() + ")");
        }
    }

    /** Deletes all but the newest {@code keep} snapshot files; returns the deleted ones. */
    public List<Path> retain(int keep) throws IOException {
        List<Path> files = list();
        List<Path> deleted = new ArrayList<>();
        for (int i = 0; i < files.size() - keep; i++) {
            Files.delete(files.get(i));
            deleted.add(files.get(i));
        }
        if (!deleted.isEmpty()) {
            syncDirectory();
        }
        return deleted;
    }

    /** Removes temporary files a crash left behind mid-write. */
    public void removeTemporaryFiles() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path file : entries.filter(f -> f.getFileName().toString().endsWith(".snap" + TEMPORARY)).toList()) {
                log.info("Removing {}, a snapshot that was not finished", file);
                Files.delete(file);
            }
        }
    }

    /** The complete snapshot files, oldest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).sorted().toList();
        }
    }

    static String fileName(long term, long index) {
        return String.format("%016x-%016x.snap", term, index);
    }

    private static WalSnapshot markerOf(Path file) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a snapshot file name: " + file);
        }
        return WalSnapshot.of(Long.parseUnsignedLong(matcher.group(2), 16),
                Long.parseUnsignedLong(matcher.group(1), 16));
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, DataDirectoryLock.privateDirectory());
            syncDirectory(directory.getParent());
        }
    }

    private void syncDirectory() throws IOException {
        syncDirectory(directory);
    }

    /** Makes creations, renames and deletions in a directory durable. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static FileAttribute<?>[] privateFile() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }
}

package dev.jwal.jgroups.raft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The envelope of the small files beside a jgroups-raft WAL: a four-letter kind, a format
 * version, the payload's length, the payload, and a CRC-32C of everything before it. A file that
 * was cut short or damaged is named with the offset where it stops making sense, never read as
 * something else.
 */
final class SealedFile {

    private static final byte VERSION = 1;
    private static final int HEADER = 4 + 1 + 4;

    private SealedFile() {
    }

    /** The file's bytes: {@code kind} (four ASCII letters) around {@code payload}. */
    static byte[] seal(String kind, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + payload.length + 4);
        buffer.put(kindBytes(kind)).put(VERSION).putInt(payload.length).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return buffer.array();
    }

    /** The payload of {@code file}, or empty when there is no such file. */
    static Optional<ByteBuffer> open(Path file, String kind) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RaftLogFileException(file, "cannot be read: " + e, e);
        }
        if (bytes.length < HEADER + 4) {
            throw new RaftLogFileException(file, bytes.length, "cut short: " + bytes.length + " bytes, not even a header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte[] found = new byte[4];
        buffer.get(found);
        if (!java.util.Arrays.equals(found, kindBytes(kind))) {
            throw new RaftLogFileException(file, 0, "not a " + kind + " file (it starts with "
                    + new String(found, StandardCharsets.ISO_8859_1) + ")");
        }
        byte version = buffer.get();
        if (version != VERSION) {
            throw new RaftLogFileException(file, 4, "format version " + version + ", this jwal reads version " + VERSION);
        }
        int length = buffer.getInt();
        if (length < 0 || length > bytes.length - HEADER - 4) {
            throw new RaftLogFileException(file, 5, "its payload of " + length + " bytes does not fit in its "
                    + bytes.length + " bytes");
        }
        int end = HEADER + length;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, end);
        int stored = ByteBuffer.wrap(bytes, end, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new RaftLogFileException(file, end, String.format("checksum mismatch: stored %08x, computed %08x",
                    stored, (int) crc.getValue()));
        }
        if (end + 4 != bytes.length) {
            throw new RaftLogFileException(file, end + 4, (bytes.length - end - 4) + " bytes after the checksum");
        }
        return Optional.of(ByteBuffer.wrap(bytes, HEADER, length).slice());
    }

    private static byte[] kindBytes(String kind) {
        byte[] bytes = kind.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length != 4) {
            throw new IllegalArgumentException("a kind is four letters: " + kind);
        }
        return bytes;
    }
}

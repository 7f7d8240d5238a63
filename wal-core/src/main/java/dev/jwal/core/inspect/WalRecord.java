package dev.jwal.core.inspect;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.WalSnapshot;
import java.nio.file.Path;

/**
 * One record as it lies on disk, decoded. Exactly one of the payload fields is set, the one
 * {@link #kind()} names; a crc record has only {@link #crc()}.
 *
 * @param kind the record type
 * @param file the segment holding it
 * @param offset the offset of its frame (the length field) in that segment
 * @param length the record's length, without length field and padding
 * @param padding the zero bytes after the record that align the frame to 8 bytes
 * @param crc the record's stored CRC-32C
 * @param metadata the metadata bytes of a {@link RecordKind#METADATA} record; {@code null} when the record carries no data (a WAL created without metadata)
 * @param entry the entry of an {@link RecordKind#ENTRY} record
 * @param hardState the state of a {@link RecordKind#STATE} record
 * @param snapshot the marker of a {@link RecordKind#SNAPSHOT} record
 */
public record WalRecord(RecordKind kind, Path file, long offset, long length, int padding, int crc, byte[] metadata,
        Entry entry, HardState hardState, WalSnapshot snapshot) {
}

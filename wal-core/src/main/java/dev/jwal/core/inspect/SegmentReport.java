package dev.jwal.core.inspect;

import java.util.Map;

/**
 * What one segment holds, read on its own: its crc record seeds the checksum, so every record in
 * it is checked without the segments before it.
 *
 * @param name the file name, {@code <seq>-<index>.wal} in hex
 * @param sequence the sequence number from the name
 * @param firstIndex the index from the name: the first entry index the segment may hold
 * @param size the file's size in bytes
 * @param records how many valid records it holds
 * @param recordsByKind those records counted by type (every kind present, zero when absent)
 * @param firstEntryIndex the index of its first entry, {@code null} when it holds none
 * @param lastEntryIndex the index of its last entry, {@code null} when it holds none
 * @param dataEnd the offset just after its last valid record
 * @param preallocatedTail whether zeros follow the records up to the end of the file: the
 *     preallocated space of the segment being written, or of one left by a crash
 * @param outcome whether the records read cleanly to the end, and if not where and why they stop
 */
public record SegmentReport(String name, long sequence, long firstIndex, long size, long records,
        Map<RecordKind, Long> recordsByKind, Long firstEntryIndex, Long lastEntryIndex, long dataEnd,
        boolean preallocatedTail, ScanOutcome outcome) {
}

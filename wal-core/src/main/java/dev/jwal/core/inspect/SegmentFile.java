package dev.jwal.core.inspect;

import java.nio.file.Path;

/**
 * A segment file as its name and size describe it, without reading it.
 *
 * @param path where it is
 * @param name its file name
 * @param sequence the sequence number from the name
 * @param firstIndex the first entry index it may hold, from the name
 * @param size its size in bytes
 */
public record SegmentFile(Path path, String name, long sequence, long firstIndex, long size) {
}

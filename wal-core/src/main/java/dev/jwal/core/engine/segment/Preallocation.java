package dev.jwal.core.engine.segment;

/**
 * How a spare segment gets its blocks before records land in it. The WAL chooses by policy, from
 * measurements on ext4 ({@code PreallocationBenchmark}, {@code AppendBenchmark}): an fdatasync
 * after appending into written zeros has no block state to persist, so policies that fdatasync
 * each save write the zeros; reserved blocks are converted from unwritten to written as records
 * land, which an fdatasync must journal, but nothing is written twice, so unsynced appends
 * reserve.
 */
public enum Preallocation {
    /** Zeros written over the whole segment: every byte is written twice, fdatasyncs are cheapest. */
    ZERO_FILL,
    /** Blocks reserved with {@code fallocate(2)} where the disk can, zeros written where it cannot. */
    RESERVE,
    /** The file only extended: blocks are allocated as records land. */
    SPARSE
}

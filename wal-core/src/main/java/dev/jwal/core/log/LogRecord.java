package dev.jwal.core.log;

/**
 * One record of a {@link WalLog}: its index (from 1, rising by one) and its bytes, as appended.
 *
 * @param index the record's position in the log
 * @param data the record's bytes; the array is the log's, not a copy: do not change it
 */
public record LogRecord(long index, byte[] data) {
}

package dev.jwal.core;

import java.nio.file.Path;

/**
 * A damaged record in the last segment with intact records after it. etcd reads it as an
 * unexpected EOF, the kind this keeps, and etcd's {@code Repair} would cut there, losing the
 * records that follow. But a torn write leaves nothing readable behind it: readable records after
 * the damage mean that the log was whole here once and lost bytes since, which is corruption.
 * Nothing cuts it automatically: restore the directory from a replica or a backup, or cut it
 * knowingly with {@code jwal repair --discard-readable} ({@link WalDirectory#repairDiscardingReadable}).
 */
public class ReadableAfterDamageException extends UnexpectedEofException {

    private final transient ReadableRecords readable;
    private final String damage;

    /**
     * @param damage what is wrong with the damaged record, as etcd's reader would say it
     * @param offset the damaged record's frame
     */
    public ReadableAfterDamageException(String damage, Path file, long offset, ReadableRecords readable) {
        super("damaged record (" + damage + "), then " + readable.describe() + " that read back intact:"
                + " corruption, not a torn write; nothing was cut", file, offset, null,
                "readable records follow the damage");
        this.readable = readable;
        this.damage = damage;
    }

    /** What follows the damage intact. */
    public ReadableRecords readable() {
        return readable;
    }

    /** What is wrong with the damaged record itself. */
    public String damage() {
        return damage;
    }
}

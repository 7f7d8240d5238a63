package dev.jwal.core;

import java.nio.file.Path;

/**
 * A damaged record in the last segment with intact records after it. etcd reads it as an
 * unexpected EOF, the kind this keeps, and etcd's {@code Repair} would cut there, losing the
 * records that follow. But a torn write leaves nothing readable behind it: readable records after
 * the damage mean that the log was whole here once and lost bytes since, which is corruption.
 * Nothing cuts it automatically: restore the directory from a replica or a backup, or cut it
 * knowingly with {@code jwal repair --discard-readable} ({@link Wal#repairDiscardingReadable}).
 */
public class ReadableAfterDamageException extends UnexpectedEofException {

    private final transient ReadableRecords readable;
    private final String damage;

    public ReadableAfterDamageException(UnexpectedEofException damage, Path file, long offset,
            ReadableRecords readable) {
        super("damaged record, then " + readable.describe() + " that read back intact: corruption, not a torn"
                + " write (" + damage.getMessage() + "); nothing was cut", file, offset, damage,
                "readable records follow the damage");
        this.readable = readable;
        this.damage = damage.getMessage();
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

package dev.jwal.core.engine;

/**
 * Flushes buffered records to the file, and fdatasyncs them when {@link #durable}, whatever the
 * policy; a flush alone lets readers by index see every save.
 */
final class SyncRequest extends LogRequest {

    /** Whether an fdatasync follows the flush. */
    final boolean durable;

    SyncRequest(boolean durable) {
        super(durable ? "sync" : "flush", "syncing", !durable);
        this.durable = durable;
    }
}

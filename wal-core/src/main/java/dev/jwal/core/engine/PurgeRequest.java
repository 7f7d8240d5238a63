package dev.jwal.core.engine;

/**
 * Deletes released segments, oldest first, until a number of them remain.
 */
final class PurgeRequest extends LogRequest {

    final int keep;

    PurgeRequest(int keep) {
        super("purge", "purging segments before", false);
        this.keep = keep;
    }
}

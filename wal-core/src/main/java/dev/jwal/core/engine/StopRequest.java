package dev.jwal.core.engine;

/**
 * Ends the writer: cleanly (sync, close, remove the spare) or as a killed process would
 * (nothing flushed or synced).
 */
final class StopRequest extends LogRequest {

    /** Whether to sync and close, rather than abandon. */
    final boolean cleanly;

    StopRequest(boolean cleanly) {
        super(cleanly ? "close" : "abandon", "closing", false);
        this.cleanly = cleanly;
    }
}

package dev.jwal.core.engine;

/**
 * Releases the locks of the segments wholly below an index, as etcd's {@code ReleaseLockTo}.
 */
final class ReleaseRequest extends LogRequest {

    final long index;

    ReleaseRequest(long index) {
        super("release", "releasing segments before", true);
        this.index = index;
    }
}

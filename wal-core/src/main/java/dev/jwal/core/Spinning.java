package dev.jwal.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may busy-wait, and for how long. Parking and being woken costs tens of microseconds on a
 * virtual machine, several times an unsynced save; a waiter that spins sees its outcome at once,
 * and a writer that spins takes the next request at once. But spinning threads take CPUs from
 * the threads doing work (measured: a caller spinning through an fdatasync on two vCPUs made the
 * fdatasync itself 25% slower), so callers spin only for outcomes that need no fdatasync, a few
 * at a time (one per spare CPU), briefly; the rest park.
 */
final class Spinning {

    /** How long a caller spins for an outcome that needs no fdatasync before it parks. */
    static final long WAIT_NANOS = 300_000;

    /** How long the writer spins for the next request before it parks. */
    static final long WRITER_NANOS = 20_000;

    private static final int MAX_SPINNERS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

    private static final AtomicInteger SPINNERS = new AtomicInteger();

    private Spinning() {
    }

    /** Whether the caller may spin now; if so it must {@link #release()} afterwards. */
    static boolean claim() {
        while (true) {
            int spinning = SPINNERS.get();
            if (spinning >= MAX_SPINNERS) {
                return false;
            }
            if (SPINNERS.compareAndSet(spinning, spinning + 1)) {
                return true;
            }
        }
    }

    static void release() {
        SPINNERS.decrementAndGet();
    }
}

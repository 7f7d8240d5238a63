package dev.jwal.core.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may busy-wait, and for how long. Parking and being woken costs tens of microseconds on a
 * virtual machine, a large part of an fdatasync and several times an unsynced save; a waiter that
 * spins sees its outcome at once, and a writer that spins takes the next request at once. Spinning
 * threads take CPUs from the threads doing work, so only a few callers spin at a time (one per
 * spare CPU), for a bounded time, and the rest park. A caller spins through an fdatasync too:
 * measured on two vCPUs (EtcdWriteBenchmark, one writer, interleaved with the raw fdatasync
 * ceiling, three runs each), parking through it gave 0.91× the ceiling and spinning 1.00×.
 * {@link dev.jwal.core.WalOptions#spinWait()} turns it off for a WAL whose process shares its CPUs with other
 * busy ones, where the spinning thread takes the CPU the work needs.
 */
final class Spinning {

    /** How long a caller spins for an outcome that needs no fdatasync before it parks. */
    static final long WAIT_NANOS = 300_000;

    /** How long a caller spins for an outcome that needs an fdatasync before it parks. */
    static final long SYNC_WAIT_NANOS = 2_000_000;

    /** How long the writer spins for the next request before it parks. */
    static final long WRITER_NANOS = 20_000;

    private static final int MAX_SPINNERS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

    private static final AtomicInteger SPINNERS = new AtomicInteger();

    /** Callers parked for an outcome now, in every WAL of the process. */
    private static final AtomicInteger PARKED = new AtomicInteger();

    private Spinning() {
    }

    /**
     * Whether the caller may spin now; if so it must {@link #release()} afterwards. Not while
     * other callers are parked: there are then more waiters than spare CPUs, and the CPU a spinner
     * holds is the one the writer and the waiters it wakes need next (64 writers under
     * {@code GROUP} on two vCPUs saved faster with no spinning at all).
     */
    static boolean claim() {
        if (PARKED.get() > 0) {
            return false;
        }
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

    /** A caller is about to park for its outcome; it calls {@link #parked()} once it stops waiting. */
    static void parking() {
        PARKED.incrementAndGet();
    }

    static void parked() {
        PARKED.decrementAndGet();
    }
}

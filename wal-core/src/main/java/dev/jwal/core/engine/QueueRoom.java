package dev.jwal.core.engine;

import dev.jwal.core.WalInterruptedException;
import java.util.concurrent.Semaphore;

/**
 * Back-pressure: room in the log writer's queue, in KiB of saves. A save takes its room when it
 * is accepted and gives it back once its outcome is told, whoever wrote it; both ends are here,
 * so that nothing else holds the count.
 */
final class QueueRoom {

    /** Bytes of saves queued for the writer at most, in KiB. */
    private static final int KIB = 64 * 1024;

    private final Semaphore room = new Semaphore(KIB);

    /**
     * Takes room for a save of about {@code bytes}, waiting only while the queue is full (a stray
     * interrupt flag alone does not make a caller wait or fail); returns what was taken.
     *
     * @throws WalInterruptedException when interrupted while the queue is full
     */
    int take(long bytes) {
        int permits = (int) Math.min(KIB, (bytes + 1023) / 1024);
        if (!room.tryAcquire(permits)) {
            try {
                room.acquire(permits);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WalInterruptedException("room in the log writer's queue for the save", false, e);
            }
        }
        return permits;
    }

    /** Gives back what {@link #take} took, for a save refused before it was queued or one whose outcome was told. */
    void giveBack(int permits) {
        if (permits > 0) {
            room.release(permits);
        }
    }
}

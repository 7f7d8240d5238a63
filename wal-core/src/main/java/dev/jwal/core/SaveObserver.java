package dev.jwal.core;

/**
 * Observes each save from the caller's side, from the moment it is submitted until its outcome
 * is known: for tracing, where the time a request waited for durability belongs to the request.
 * {@link #started} runs on the saving thread before the save is handed to the log writer, so it
 * can take the thread's current trace as the parent; {@link Ending#ended} runs on the saving
 * thread when {@link Wal#save} returns or throws, and on the WAL's completer thread when a
 * {@link Wal#saveAsync} future completes. Neither may block: they run on the save's path. Without
 * an observer (the default) a save does no observing work at all.
 */
@FunctionalInterface
public interface SaveObserver {

    /** A save of {@code entries} entries is being submitted; returns what is told its outcome. */
    Ending started(int entries);

    /** The end of one observed save. */
    @FunctionalInterface
    interface Ending {

        /** The save is durable as the policy promises ({@code failure} null), or failed with {@code failure}. */
        void ended(Throwable failure);
    }
}

package dev.jwal.core.engine;

import java.util.concurrent.Callable;

/**
 * Work that must run on the writer's thread: creating, opening, readying the tail.
 */
final class TaskRequest extends LogRequest {

    final Callable<?> task;

    TaskRequest(Callable<?> task) {
        super("task", "preparing", false);
        this.task = task;
    }
}

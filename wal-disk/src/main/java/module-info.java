/**
 * The disk a WAL stands on: the {@code Disk} service-provider interface that every file operation
 * of jwal goes through, and the real disk behind it.
 */
module dev.jwal.disk {
    exports dev.jwal.core.io;
}

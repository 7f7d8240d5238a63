/**
 * Every file and directory operation of the engine goes through {@link dev.jwal.core.io.Disk}, so
 * that tests can put a simulated disk (lost unsynced writes, torn sectors, injected faults) in the
 * place of {@link dev.jwal.core.io.RealDisk}. Internal: not part of the supported API.
 */
package dev.jwal.core.io;

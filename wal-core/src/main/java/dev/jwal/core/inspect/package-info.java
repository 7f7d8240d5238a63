/**
 * Read-only views of a WAL directory for operators and tools: every record with where it lies,
 * per-segment statistics, and the files that are not segments. Nothing here takes a lock or
 * changes a byte, so it is safe beside a running writer.
 */
package dev.jwal.core.inspect;

/**
 * Segment files: their names, the page-aligned writer and frame encoder that fill them, the
 * decoder that reads frames across them with torn-write detection, and the pipeline that keeps a
 * preallocated spare ready for the next cut. Internal: not part of the supported API.
 */
package dev.jwal.core.engine.segment;

package dev.jwal.core.engine;

import dev.jwal.core.engine.segment.SegmentName;
import dev.jwal.core.io.DiskFile;

/** A segment file a WAL holds open (and, when writable, locked). */
record OpenSegment(SegmentName name, DiskFile file) {
}

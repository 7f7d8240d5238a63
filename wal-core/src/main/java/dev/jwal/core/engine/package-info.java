/**
 * The engine under the {@code dev.jwal.core} API; not part of the supported API.
 *
 * <p>The save path runs one way down: {@link dev.jwal.core.engine.OpenWal} checks a save, takes
 * back-pressure permits and puts it in order under its accept lock; the
 * {@link dev.jwal.core.engine.LogWriter} (on its caller's thread when nothing is queued ahead, else
 * on its own) encodes and writes batches through the
 * {@link dev.jwal.core.engine.SegmentWriter}, fdatasyncs, cuts segments, and settles each
 * request's outcome. Opening is in {@link dev.jwal.core.engine.WalCreation}; the checks of a
 * directory are {@link dev.jwal.core.engine.WalExaminer}, {@link dev.jwal.core.engine.WalVerifier}
 * and {@link dev.jwal.core.engine.WalRepairer}. {@code engine.segment} holds the files and frames,
 * {@code engine.codec} the bytes. Nothing here imports the {@code Wal} face.
 */
package dev.jwal.core.engine;

package dev.jwal.core;

import java.util.Optional;

/**
 * Records found intact after damage in a segment: frames that decode and whose checksums chain
 * from one to the next, so they were once part of a whole log. What a cut at the damage would
 * throw away.
 *
 * @param records how many readable records follow the damage
 * @param firstOffset the offset of the first of them in the segment
 * @param endOffset the offset just after the last of them
 * @param firstEntryIndex the index of the first entry among them, or -1 when there is none
 * @param lastEntryIndex the index of the last entry among them, or -1 when there is none
 * @param lastHardState the last hard state among them, or {@code null} when there is none
 */
public record ReadableRecords(long records, long firstOffset, long endOffset, long firstEntryIndex,
        long lastEntryIndex, HardState lastHardState) {

    /** No readable record follows: the damage is where the log really ends. */
    public static final ReadableRecords NONE = new ReadableRecords(0, -1, -1, -1, -1, null);

    /** Whether any readable record follows the damage. */
    public boolean any() {
        return records > 0;
    }

    /** The last hard state among the readable records, when there is one. */
    public Optional<HardState> hardState() {
        return Optional.ofNullable(lastHardState);
    }

    /** A short account for messages: how many records, where, which entries, the last hard state. */
    public String describe() {
        StringBuilder text = new StringBuilder().append(records).append(records == 1 ? " record" : " records")
                .append(" at offsets ").append(firstOffset).append('-').append(endOffset);
        if (firstEntryIndex >= 0) {
            text.append(", entries ").append(Long.toUnsignedString(firstEntryIndex)).append('-')
                    .append(Long.toUnsignedString(lastEntryIndex));
        }
        if (lastHardState != null) {
            text.append(", last hard state term ").append(Long.toUnsignedString(lastHardState.term()))
                    .append(" vote ").append(Long.toUnsignedString(lastHardState.vote()))
                    .append(" commit ").append(Long.toUnsignedString(lastHardState.commit()));
        }
        return text.toString();
    }
}

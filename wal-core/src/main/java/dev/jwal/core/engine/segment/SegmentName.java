package dev.jwal.core.engine.segment;

import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A segment's file name, {@code %016x-%016x.wal}: its sequence number and the raft index of the
 * first entry it may hold. Both are unsigned.
 */
public record SegmentName(long sequence, long firstIndex) {

    /** The suffix every segment has; other files in the directory are not segments. */
    public static final String SUFFIX = ".wal";

    private static final Pattern NAME = Pattern.compile("([0-9a-fA-F]{1,16})-([0-9a-fA-F]{1,16})\\.wal");

    /** The segment name of a file name, or empty when it is not one. */
    public static Optional<SegmentName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SegmentName(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2),
                16)));
    }

    /** The file name. */
    public String fileName() {
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(sequence) + "-" + hex.toHexDigits(firstIndex) + SUFFIX;
    }

    @Override
    public String toString() {
        return fileName();
    }
}

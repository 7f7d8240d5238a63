package dev.jwal.core.inspect;

import dev.jwal.core.WalException;
import dev.jwal.core.WalVerdict;
import java.nio.file.Path;

/**
 * How a scan ended.
 *
 * @param ending clean, at a torn tail, or at corruption
 * @param file the file the scan ended in
 * @param validEnd the offset in that file just after the last valid record
 * @param problem what stopped the scan; {@code null} when it ended cleanly
 */
public record ScanOutcome(Ending ending, Path file, long validEnd, WalException problem) {

    /** The three ways a log can end. */
    public enum Ending {
        /** Every file ended at its end or at a preallocated (zero) tail. */
        CLEAN,
        /**
         * The last segment ends inside a record that was never completely written, with nothing
         * readable after it: {@link WalVerdict.Kind#TORN_TAIL}, which repair can cut off.
         */
        TORN_TAIL,
        /**
         * A record fails its checks (a CRC mismatch, a frame that cannot be, an unknown type, a
         * bad header), or damage has readable records after it, or a segment that is not the
         * last is short: {@link WalVerdict.Kind#CORRUPT}.
         */
        CORRUPT
    }

    static ScanOutcome of(WalException problem, Path file, long validEnd) {
        if (problem == null) {
            return new ScanOutcome(Ending.CLEAN, file, validEnd, null);
        }
        Ending ending = WalVerdict.kindOf(problem) == WalVerdict.Kind.TORN_TAIL ? Ending.TORN_TAIL : Ending.CORRUPT;
        return new ScanOutcome(ending, file, validEnd, problem);
    }

    /** Whether the scan reached the end without a problem. */
    public boolean isClean() {
        return ending == Ending.CLEAN;
    }
}

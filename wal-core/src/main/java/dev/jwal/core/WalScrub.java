package dev.jwal.core;

import java.util.Optional;

/**
 * How far the background check of a writable WAL's sealed segments has got. An open that a
 * checkpoint spared from reading sealed segments leaves them to this check, which reads each
 * one whole, every checksum chained, at the examining pace ({@link WalOptions#examineReadRate()});
 * it then reads each segment sealed while the WAL is open. Damage it finds is reported here as
 * {@link WalDirectory#examine} would name it, and nothing is cut: the WAL goes on appending,
 * and a read that reaches the damage fails the same way.
 *
 * @param verified sealed segments read back intact since the open
 * @param sealed sealed segments in the directory when last counted
 * @param problem the damage found, if any; the check stops there
 */
public record WalScrub(int verified, int sealed, Optional<WalException> problem) {

    /** Nothing checked yet, nothing sealed: a WAL read-only, closed or just created. */
    public static final WalScrub NONE = new WalScrub(0, 0, Optional.empty());

    /** Whether every sealed segment counted was read back intact. */
    public boolean complete() {
        return problem.isEmpty() && verified >= sealed;
    }
}

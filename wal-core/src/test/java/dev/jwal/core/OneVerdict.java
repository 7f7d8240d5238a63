package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** The checks that startup and verify call a directory what {@link WalDirectory#examine} calls it. */
final class OneVerdict {

    private OneVerdict() {
    }

    /** Startup (open and read everything) and verify, at {@code snapshot}, agree with {@code kind}. */
    static void startupAndVerifyAgree(String context, Path dir, WalSnapshot snapshot, WalOptions options,
            WalVerdict.Kind kind) {
        assertThat(startup(dir, snapshot, options)).as(context + ": startup").isEqualTo(kind);
        boolean verified;
        try {
            WalDirectory.verifyOrThrow(dir, snapshot, options);
            verified = true;
        } catch (WalException e) {
            verified = false;
            assertThat(WalVerdict.kindOf(e)).as(context + ": verify, " + e).isEqualTo(kind);
        }
        assertThat(verified).as(context + ": verify accepts").isEqualTo(kind == WalVerdict.Kind.CLEAN
                || kind == WalVerdict.Kind.TORN_TAIL);
    }

    /** What a restarting node makes of it: clean, or the verdict of what it threw. */
    static WalVerdict.Kind startup(Path dir, WalSnapshot snapshot, WalOptions options) {
        try (Wal wal = Wal.open(dir, snapshot, options)) {
            wal.readAll();
            return WalVerdict.Kind.CLEAN;
        } catch (WalException e) {
            return WalVerdict.kindOf(e);
        }
    }
}

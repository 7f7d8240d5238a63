package dev.jwal.core.io;

import dev.jwal.core.WalOptions;
import java.util.Objects;

/**
 * The one way to put another {@link Disk} under a WAL, or to read which one options carry: for
 * jwal's own tests (a simulated disk, injected faults) and its inspector. It lives in a package
 * the module does not export, so {@link WalOptions}' public signature stays free of internal
 * types; an application has no use for it.
 */
public final class DiskSeam {

    /** What {@link WalOptions} lends this class, installed when it is first used. */
    public interface Access {
        /** The disk {@code options} carry. */
        Disk diskOf(WalOptions options);

        /** {@code builder}, set to use {@code disk}. */
        WalOptions.Builder withDisk(WalOptions.Builder builder, Disk disk);
    }

    private static volatile Access access;

    private DiskSeam() {
    }

    /** Called once, by {@link WalOptions}' static initialiser. */
    public static void install(Access installed) {
        if (access != null) {
            throw new IllegalStateException("the disk seam is installed already");
        }
        access = Objects.requireNonNull(installed, "installed");
    }

    /** The disk {@code options} carry. */
    public static Disk diskOf(WalOptions options) {
        return access().diskOf(Objects.requireNonNull(options, "options"));
    }

    /** {@code builder}, set to use {@code disk}. */
    public static WalOptions.Builder withDisk(WalOptions.Builder builder, Disk disk) {
        return access().withDisk(Objects.requireNonNull(builder, "builder"), Objects.requireNonNull(disk, "disk"));
    }

    private static Access access() {
        Access installed = access;
        if (installed == null) {
            WalOptions.defaults(); // runs WalOptions' static initialiser, which installs it
            installed = access;
        }
        return installed;
    }
}

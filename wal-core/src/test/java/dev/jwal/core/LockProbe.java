package dev.jwal.core;

import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another process, to prove that locks hold across processes: {@code open DIR} tries to open a
 * WAL for writing, {@code lock FILE} tries to lock one segment; each prints what happened.
 */
public final class LockProbe {

    static final String OPENED = "opened";
    static final String LOCKED = "locked";

    private LockProbe() {
    }

    public static void main(String[] args) throws IOException {
        Path path = Paths.get(args[1]);
        if (args[0].equals("open")) {
            try (Wal wal = Wal.open(path, WalSnapshot.ZERO)) {
                wal.readAll();
                System.out.println(OPENED);
            } catch (WalLockedException e) {
                System.out.println(LOCKED);
            }
        } else {
            try (DiskFile file = RealDisk.INSTANCE.openForWrite(path, false)) {
                System.out.println(file.tryLock() ? OPENED : LOCKED);
            }
        }
    }

    /** Runs {@code open DIR} in a child JVM and returns what it printed. */
    static String tryOpenInAnotherProcess(Path dir) {
        return run("open", dir);
    }

    /** Whether a child JVM could lock the segment. */
    static boolean tryLockSegment(Path segment) {
        return run("lock", segment).equals(OPENED);
    }

    private static String run(String mode, Path path) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    LockProbe.class.getName(), mode, path.toString())).redirectErrorStream(false).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("lock probe failed: " + out + err);
            }
            return out.lines().reduce((a, b) -> b).orElse("");
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

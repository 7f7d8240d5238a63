package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.WalSnapshot;
import java.nio.file.Path;

/**
 * Where recovery starts: handed to {@link WalRecoveryHandler#begin} before the first entry.
 *
 * @param directory the WAL's directory
 * @param created true when the directory held no WAL and a new one was created (no entry follows)
 * @param snapshot the snapshot the WAL was opened at; load your snapshot of that index first
 */
public record WalRecoveryStart(Path directory, boolean created, WalSnapshot snapshot) {
}

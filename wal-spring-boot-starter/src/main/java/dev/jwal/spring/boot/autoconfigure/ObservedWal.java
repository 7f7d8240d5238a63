package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.Wal;
import dev.jwal.core.WalException;
import dev.jwal.core.WalScrub;
import dev.jwal.core.WalStatus;
import dev.jwal.core.log.LogSubscription;
import dev.jwal.core.log.WalLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the starter's health indicator, meters, endpoint and lifecycle read and do of the WAL,
 * whichever API owns its directory: a {@link Wal} ({@code wal.api=raft}) or a {@link WalLog}
 * ({@code wal.api=log}). Everything here reads the writer's published status, so none of it
 * waits behind an fdatasync.
 */
public interface ObservedWal {

    Path directory();

    WalStatus status();

    /** Makes what was acknowledged durable (the context is stopping). */
    void sync();

    void close();

    default boolean isClosed() {
        return status().closed();
    }

    default Optional<WalException> poisonCause() {
        return status().poisonCause();
    }

    default long lastIndex() {
        return status().lastIndex();
    }

    default List<Path> openSegments() {
        return status().segments();
    }

    /** The background check of the sealed segments. */
    WalScrub scrub();

    /** Details the API adds to the health indicator's. */
    default Map<String, Object> details() {
        return Map.of();
    }

    static ObservedWal of(Wal wal) {
        return new ObservedWal() {
            @Override
            public Path directory() {
                return wal.directory();
            }

            @Override
            public WalStatus status() {
                return wal.status();
            }

            @Override
            public void sync() {
                wal.sync();
            }

            @Override
            public void close() {
                wal.close();
            }

            @Override
            public boolean isClosed() {
                return wal.isClosed();
            }

            @Override
            public Optional<WalException> poisonCause() {
                return wal.poisonCause();
            }

            @Override
            public long lastIndex() {
                return wal.lastIndex();
            }

            @Override
            public List<Path> openSegments() {
                return wal.openSegments();
            }

            @Override
            public WalScrub scrub() {
                return wal.scrub();
            }
        };
    }

    static ObservedWal of(WalLog log) {
        return new ObservedWal() {
            @Override
            public Path directory() {
                return log.directory();
            }

            @Override
            public WalStatus status() {
                return log.status();
            }

            @Override
            public void sync() {
                log.sync();
            }

            @Override
            public void close() {
                log.close();
            }

            @Override
            public boolean isClosed() {
                return log.isClosed() || log.status().closed();
            }

            @Override
            public long lastIndex() {
                return log.lastIndex();
            }

            @Override
            public WalScrub scrub() {
                return log.scrub();
            }

            @Override
            public Map<String, Object> details() {
                List<Map<String, Object>> followers = new ArrayList<>();
                for (LogSubscription subscription : log.subscriptions()) {
                    followers.add(Map.of("name", subscription.name(), "deliveredIndex", subscription.deliveredIndex(),
                            "lag", subscription.lag()));
                }
                return Map.of("api", "log", "compactedThrough", log.compactedThrough(), "followers", followers);
            }
        };
    }
}

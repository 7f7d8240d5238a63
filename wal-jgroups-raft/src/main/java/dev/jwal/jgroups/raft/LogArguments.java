package dev.jwal.jgroups.raft;

import dev.jwal.core.SyncPolicy;
import dev.jwal.core.WalOptions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * RAFT's {@code log_args} for a {@link JwalRaftLog}: {@code sync}, {@code segment_size},
 * {@code keep_segments} and {@code spin_wait}. An unknown key or a bad value is refused with its name, not ignored.
 */
record LogArguments(WalOptions options, int keepSegments) {

    static final int DEFAULT_KEEP_SEGMENTS = 5;
    private static final Set<String> KEYS = Set.of("sync", "segment_size", "keep_segments", "spin_wait");

    static LogArguments parse(Map<String, String> args, WalOptions base) {
        WalOptions.Builder options = base.toBuilder();
        int keep = DEFAULT_KEEP_SEGMENTS;
        if (args != null) {
            for (Map.Entry<String, String> arg : args.entrySet()) {
                String key = arg.getKey().trim();
                String value = arg.getValue() == null ? "" : arg.getValue().trim();
                switch (key) {
                    case "sync" -> options.syncPolicy(syncPolicy(value));
                    case "segment_size" -> options.segmentSize(number(key, value));
                    case "keep_segments" -> keep = (int) Math.min(Integer.MAX_VALUE, number(key, value));
                    case "spin_wait" -> options.spinWait(bool(key, value));
                    default -> throw new IllegalArgumentException("unknown log_args key '" + key + "' for jwal's raft log; "
                            + "known: " + String.join(", ", new java.util.TreeSet<>(KEYS)));
                }
            }
        }
        if (keep < 1) {
            throw new IllegalArgumentException("log_args keep_segments must be at least 1, was " + keep);
        }
        return new LogArguments(options.build(), keep);
    }

    private static SyncPolicy syncPolicy(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "group" -> SyncPolicy.GROUP;
            case "always" -> SyncPolicy.ALWAYS;
            default -> throw new IllegalArgumentException("log_args sync must be 'group' or 'always' (a raft log fsyncs "
                    + "every append), was '" + value + "'");
        };
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("log_args " + key + " must be true or false, was '" + value + "'");
        };
    }

    private static long number(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("log_args " + key + " must be a number, was '" + value + "'", e);
        }
    }
}

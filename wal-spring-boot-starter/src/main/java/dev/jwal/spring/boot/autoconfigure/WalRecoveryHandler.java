package dev.jwal.spring.boot.autoconfigure;

import dev.jwal.core.Entry;
import dev.jwal.core.WalReplayHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rebuilds the application's state from what the WAL held at startup, one entry at a time, so
 * that a log far larger than the heap recovers: {@link #begin} with the snapshot the WAL was
 * opened at, then every entry after it ({@link #entry}), with raft's overwrites reported
 * ({@link #truncated}), then {@link #end} with the metadata and the last hard state.
 *
 * <p>Beans of this type are called in their {@link org.springframework.core.annotation.Order
 * order}, each entry to each handler in turn, once, while the {@code Wal} bean is being created:
 * before any other bean can append, so that the state is whole before new writes arrive. An
 * exception fails startup. A stop and start of the context does not recover again.
 *
 * <p>A small log can be taken whole with {@link #collecting}, which holds every entry in the heap.
 */
public interface WalRecoveryHandler extends WalReplayHandler {

    /** Recovery starts at {@code start}'s snapshot; called first, once. */
    default void begin(WalRecoveryStart start) {
    }

    /** Recovery is over; called last, once, after every entry. */
    default void end(WalRecoveryEnd end) {
    }

    /**
     * A handler that collects every entry in a list, dropping those raft overwrote, and hands the
     * whole recovery to {@code whole} at the end. The whole log after the snapshot is in the heap
     * at once: for logs that are small next to it.
     */
    static WalRecoveryHandler collecting(Consumer<WalRecovery> whole) {
        return new WalRecoveryHandler() {
            private WalRecoveryStart start;
            private final List<Entry> entries = new ArrayList<>();

            @Override
            public void begin(WalRecoveryStart recoveryStart) {
                start = recoveryStart;
                entries.clear();
            }

            @Override
            public void entry(Entry entry) {
                entries.add(entry);
            }

            @Override
            public void truncated(long index) {
                while (!entries.isEmpty() && entries.get(entries.size() - 1).index() >= index) {
                    entries.remove(entries.size() - 1);
                }
            }

            @Override
            public void end(WalRecoveryEnd end) {
                whole.accept(new WalRecovery(start.directory(), start.created(), start.snapshot(), end.metadata(),
                        end.hardState(), List.copyOf(entries), end.repair()));
                entries.clear();
            }
        };
    }
}

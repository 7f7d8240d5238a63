package dev.jwal.sample;

import com.google.protobuf.ByteString;
import dev.jwal.sample.command.KvCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The store's in-memory state: the keys in order, and the index of the last WAL entry applied.
 * One writer at a time applies commands (the log's in-order continuations, or the replicated
 * store's state machine); readers need no lock and see each write once it is applied, which is
 * after the WAL made it durable. A snapshot is restored by swapping in a whole new map, so a reader
 * sees either the state before it or the state after it, never a half-filled one.
 */
public class KvState {

    private volatile ConcurrentSkipListMap<String, ByteString> values = new ConcurrentSkipListMap<>();
    private volatile long appliedIndex;
    private volatile long snapshotIndex;

    /** Applies a command recorded at {@code index}; returns whether it changed a key. */
    boolean apply(long index, KvCommand command) {
        appliedIndex = index;
        return switch (command.getOperationCase()) {
            case PUT -> {
                values.put(command.getPut().getKey(), command.getPut().getValue());
                yield true;
            }
            case DELETE -> values.remove(command.getDelete().getKey()) != null;
            case OPERATION_NOT_SET -> throw new IllegalArgumentException("entry " + index + " holds an empty command");
        };
    }

    /** Replaces everything with a snapshot's contents, at once for readers. */
    void restore(KvSnapshot snapshot) {
        values = new ConcurrentSkipListMap<>(snapshot.values());
        appliedIndex = snapshot.index();
        snapshotIndex = snapshot.index();
    }

    /** Records that everything up to {@code index} is applied, entries without a command included. */
    void advanceTo(long index) {
        appliedIndex = Math.max(appliedIndex, index);
    }

    /** A consistent copy, to be called by the writer (no write can run concurrently). */
    NavigableMap<String, ByteString> copy() {
        return new TreeMap<>(values);
    }

    public Optional<ByteString> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** Up to {@code limit} keys after {@code after} (or from the first when null), in order. */
    public List<Map.Entry<String, ByteString>> list(String after, int limit) {
        ConcurrentSkipListMap<String, ByteString> now = values;
        NavigableMap<String, ByteString> view = after == null ? now : now.tailMap(after, false);
        List<Map.Entry<String, ByteString>> page = new ArrayList<>(Math.min(limit, 1024));
        for (Map.Entry<String, ByteString> entry : view.entrySet()) {
            if (page.size() == limit) {
                break;
            }
            page.add(entry);
        }
        return page;
    }

    public int size() {
        return values.size();
    }

    /** The index of the snapshot the state was restored from at startup (0 for none). */
    public long restoredSnapshotIndex() {
        return snapshotIndex;
    }

    /** The index of the last entry applied, or of the snapshot restored when none followed. */
    public long appliedIndex() {
        return appliedIndex;
    }
}

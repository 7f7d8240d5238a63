package dev.jwal.sample;

import com.google.protobuf.ByteString;
import dev.jwal.core.WalSnapshot;
import java.util.NavigableMap;

/**
 * The store's contents as of one WAL entry.
 *
 * @param index the index of the last entry the snapshot includes
 * @param term that entry's term
 * @param values every key and its value, in key order
 */
public record KvSnapshot(long index, long term, NavigableMap<String, ByteString> values) {

    /** The marker recorded in the WAL for this snapshot. */
    public WalSnapshot marker() {
        return WalSnapshot.of(index, term);
    }
}

package dev.jwal.sample;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the HTTP API asks of the store, whichever keeps it: one node's application log
 * ({@link KvStore}) or a three-node jgroups-raft cluster ({@link ReplicatedKvStore}, profile
 * {@code cluster}). A write returns once it is durable and applied; a read sees what this node
 * has applied.
 */
public interface KvService {

    /** Sets a key; returns once the write is durable and applied. */
    KvStore.Write put(String key, ByteString value);

    /** Removes a key; empty when it was not there. */
    Optional<KvStore.Write> delete(String key);

    Optional<ByteString> get(String key);

    /** Up to {@code limit} keys after {@code after} (from the first when null), in order. */
    List<Map.Entry<String, ByteString>> list(String after, int limit);
}

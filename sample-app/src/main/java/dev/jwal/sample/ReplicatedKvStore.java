package dev.jwal.sample;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jwal.sample.command.Delete;
import dev.jwal.sample.command.KvCommand;
import dev.jwal.sample.command.Put;
import java.io.DataInput;
import java.io.DataOutput;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The key-value store replicated by jgroups-raft over jwal's log: a write is a command RAFT
 * commits on a majority of the three nodes' logs (each fsync'd) and applies to every node's
 * {@link KvState}, in log order; a write sent to a follower is forwarded to the leader. The call
 * returns once the leader has applied it; a read answers from this node's state, so it sees a
 * write once this node has applied it.
 */
public class ReplicatedKvStore implements KvService, StateMachine {

    private static final byte[] CHANGED = {1};
    private static final byte[] UNCHANGED = {0};

    private final KvState state;
    private final Duration timeout;
    private final ObjectProvider<RaftHandle> raft;
    /** Entries applied here, counted: the state's applied index in cluster mode. */
    private long applied;

    /**
     * A store over {@code state}, replicating through the node's handle, which the starter makes
     * from this state machine (so it is looked up when first used); a write not committed within
     * {@code timeout} is answered 503.
     */
    public ReplicatedKvStore(KvState state, ObjectProvider<RaftHandle> raft, Duration timeout) {
        this.state = state;
        this.raft = raft;
        this.timeout = timeout;
    }

    @Override
    public KvStore.Write put(String key, ByteString value) {
        KvCommand command = KvCommand.newBuilder().setPut(Put.newBuilder().setKey(key).setValue(value)).build();
        return new KvStore.Write(0, replicate(command)[0] == 1);
    }

    @Override
    public Optional<KvStore.Write> delete(String key) {
        KvCommand command = KvCommand.newBuilder().setDelete(Delete.newBuilder().setKey(key)).build();
        return replicate(command)[0] == 1 ? Optional.of(new KvStore.Write(0, false)) : Optional.empty();
    }

    @Override
    public Optional<ByteString> get(String key) {
        return state.get(key);
    }

    @Override
    public List<Map.Entry<String, ByteString>> list(String after, int limit) {
        return state.list(after, limit);
    }

    /** Replicates a command and waits for the leader to apply it; its answer says whether a key changed. */
    private byte[] replicate(KvCommand command) {
        byte[] bytes = command.toByteArray();
        try {
            byte[] answer = raft.getObject().setAsync(bytes, 0, bytes.length, null).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return answer == null || answer.length == 0 ? UNCHANGED : answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the write to commit; it may or may not be committed");
        } catch (TimeoutException e) {
            throw unavailable("the write was not committed within " + timeout + " (no leader, or no majority); "
                    + "it may still be");
        } catch (ExecutionException e) {
            throw unavailable("the cluster refused the write: " + e.getCause().getMessage());
        } catch (Exception e) {
            throw unavailable("the write could not be sent: " + e.getMessage());
        }
    }

    private static ResponseStatusException unavailable(String why) {
        return new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, why);
    }

    // ---------------------------------------------------------------------------------------------
    // The state machine: RAFT calls these on its own thread, one at a time

    @Override
    public synchronized byte[] apply(byte[] data, int offset, int length, boolean serializeResponse)
            throws InvalidProtocolBufferException {
        KvCommand command = KvCommand.parseFrom(ByteString.copyFrom(data, offset, length));
        boolean created = command.hasPut() && !state.contains(command.getPut().getKey());
        boolean changed = state.apply(++applied, command);
        return command.hasPut() ? (created ? CHANGED : UNCHANGED) : (changed ? CHANGED : UNCHANGED);
    }

    @Override
    public synchronized void readContentFrom(DataInput in) throws Exception {
        long index = in.readLong();
        int count = in.readInt();
        NavigableMap<String, ByteString> values = new java.util.TreeMap<>();
        for (int i = 0; i < count; i++) {
            String key = in.readUTF();
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            values.put(key, ByteString.copyFrom(value));
        }
        applied = index;
        state.restore(new KvSnapshot(index, 0, values));
    }

    @Override
    public synchronized void writeContentTo(DataOutput out) throws Exception {
        NavigableMap<String, ByteString> values = state.copy();
        out.writeLong(applied);
        out.writeInt(values.size());
        for (Map.Entry<String, ByteString> entry : values.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeInt(entry.getValue().size());
            out.write(entry.getValue().toByteArray());
        }
    }
}

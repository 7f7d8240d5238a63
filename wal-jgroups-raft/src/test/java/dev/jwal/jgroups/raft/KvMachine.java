package dev.jwal.jgroups.raft;

import java.io.DataInput;
import java.io.DataOutput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jgroups.raft.StateMachine;

/** A replicated map of "key=value" commands, for the cluster tests; waiters are woken by each apply. */
final class KvMachine implements StateMachine {

    private final Map<String, String> map = new LinkedHashMap<>();

    static byte[] put(String key, String value) {
        return (key + "=" + value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
        String command = new String(data, offset, length, StandardCharsets.UTF_8);
        int split = command.indexOf('=');
        map.put(command.substring(0, split), command.substring(split + 1));
        notifyAll();
        return null;
    }

    @Override
    public synchronized void readContentFrom(DataInput in) throws Exception {
        map.clear();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            map.put(in.readUTF(), in.readUTF());
        }
        notifyAll();
    }

    @Override
    public synchronized void writeContentTo(DataOutput out) throws Exception {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeUTF(entry.getValue());
        }
    }

    synchronized Map<String, String> contents() {
        return new LinkedHashMap<>(map);
    }

    /** Waits until every key is applied; false when {@code timeout} passes first. */
    synchronized boolean awaitKeys(Collection<String> keys, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!map.keySet().containsAll(keys)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}

package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-memory state as readers see it while a snapshot is installed. */
class KvStateTest {

    @Test
    void aKeyInTheStateBeforeAndAfterASnapshotInstallIsNeverMissingMeanwhile() throws InterruptedException {
        KvState state = new KvState();
        TreeMap<String, ByteString> values = new TreeMap<>();
        for (int i = 0; i < 2_000; i++) {
            values.put("key-" + i, ByteString.copyFromUtf8("v" + i));
        }
        state.restore(new KvSnapshot(1, 1, values));
        AtomicBoolean installing = new AtomicBoolean(true);
        AtomicLong misses = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        Thread reader = new Thread(() -> {
            while (installing.get()) {
                reads.incrementAndGet();
                if (state.get("key-1999").isEmpty() || state.list("key-1998", 1).isEmpty()) {
                    misses.incrementAndGet();
                }
            }
        });
        reader.start();
        // as a follower installs leader snapshots: the key is in every one of them
        for (long install = 2; install < 300 || reads.get() < 10_000; install++) {
            state.restore(new KvSnapshot(install, 1, values));
        }
        installing.set(false);
        reader.join();
        assertThat(misses.get()).as("reads that found the key missing, of %d", reads.get()).isZero();
        assertThat(state.get("key-1999")).contains(ByteString.copyFromUtf8("v1999"));
    }
}

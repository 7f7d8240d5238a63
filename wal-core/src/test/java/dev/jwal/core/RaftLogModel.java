package dev.jwal.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** What a raft node saved: the log with overwrites applied, and the last hard state. */
final class RaftLogModel {
    final List<Entry> log = new ArrayList<>();
    final List<WalSnapshot> snapshots = new ArrayList<>(List.of(WalSnapshot.ZERO));
    /** The log and state after every record written, in order: what a torn tail may leave. */
    final List<Map.Entry<List<Entry>, HardState>> afterEachRecord =
            new ArrayList<>(List.of(Map.entry(List.of(), HardState.EMPTY)));
    HardState state = HardState.EMPTY;
    long term = 1;

    long lastIndex() {
        return log.isEmpty() ? 0 : log.get(log.size() - 1).index();
    }

    /** Entries to append: sometimes overwriting an uncommitted suffix, in a newer term. */
    List<Entry> nextBatch(SplittableRandom random) {
        long from = lastIndex() + 1;
        if (random.nextInt(8) == 0 && lastIndex() > state.commit()) {
            from = random.nextLong(state.commit() + 1, lastIndex() + 1);
            term++;
        }
        int count = random.nextInt(0, 6);
        List<Entry> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = random.nextInt(10) == 0 ? random.nextInt(0, 3000) : random.nextInt(0, 200);
            byte[] data = random.nextInt(12) == 0 ? null : new byte[size];
            if (data != null) {
                random.nextBytes(data);
            }
            batch.add(new Entry(term, from + i,
                    random.nextInt(10) == 0 ? EntryType.CONF_CHANGE : EntryType.NORMAL, data));
        }
        return batch;
    }

    void apply(HardState newState, List<Entry> batch) {
        for (Entry entry : batch) {
            log.removeIf(e -> e.index() >= entry.index());
            log.add(entry);
            afterEachRecord.add(Map.entry(List.copyOf(log), state));
        }
        if (!newState.isEmpty()) {
            state = newState;
            afterEachRecord.add(Map.entry(List.copyOf(log), state));
        }
    }

    HardState nextState(SplittableRandom random, long lastIndexAfter) {
        long commit = Math.max(state.commit(), random.nextLong(state.commit(), Math.max(state.commit(),
                lastIndexAfter) + 1));
        return new HardState(term, 1, commit);
    }

    List<Entry> after(long index) {
        return log.stream().filter(e -> e.index() > index).toList();
    }

    /**
     * One save a raft node might make next.
     *
     * @param state the hard state to save, perhaps empty
     * @param entries the entries, perhaps overwriting an uncommitted suffix
     * @param mustSync whether raft's MustSync holds for it: entries, or a new term or vote
     */
    record Save(HardState state, List<Entry> entries, boolean mustSync) {
    }

    /** The next save: a batch, and a hard state (empty one time in five when {@code emptyStates}). */
    Save nextSave(SplittableRandom random, boolean emptyStates) {
        List<Entry> batch = nextBatch(random);
        long lastAfter = batch.isEmpty() ? lastIndex() : batch.get(batch.size() - 1).index();
        HardState next = emptyStates && random.nextInt(5) == 0 ? HardState.EMPTY : nextState(random, lastAfter);
        boolean mustSync = !batch.isEmpty()
                || (!next.isEmpty() && (next.term() != state.term() || next.vote() != state.vote()));
        return new Save(next, batch, mustSync);
    }
}

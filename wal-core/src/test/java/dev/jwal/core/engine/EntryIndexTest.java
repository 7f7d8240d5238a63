package dev.jwal.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The entry index against a plain list, with saves large enough to fill several of a run's
 * chunks in one call and overwrites that cut back across chunk boundaries.
 */
class EntryIndexTest {

    private record Slot(long index, long term, long sequence, long offset, int length, int seed) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void positionsAndTermsMatchAModelAcrossChunks(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        EntryIndex index = new EntryIndex(0, 0, null);
        List<Slot> model = new ArrayList<>();
        long sequence = 0;
        long offset = 0;
        long term = 1;
        for (int save = 0; save < 120; save++) {
            long next = model.size() + 1L;
            if (!model.isEmpty() && random.nextInt(6) == 0) {
                // an overwrite from an earlier index, often thousands of entries back
                next = random.nextLong(1, model.size() + 1L);
                model.subList((int) (next - 1), model.size()).clear();
                term++;
            }
            if (random.nextInt(10) == 0) {
                sequence++;
                offset = 0;
            }
            int count = random.nextInt(1, 9000);
            List<Entry> entries = new ArrayList<>(count);
            long[] offsets = new long[count];
            int[] lengths = new int[count];
            int[] seeds = new int[count];
            for (int i = 0; i < count; i++) {
                if (random.nextInt(2000) == 0) {
                    term++;
                }
                Entry entry = Entry.normal(term, next + i, new byte[0]);
                entries.add(entry);
                offsets[i] = offset;
                lengths[i] = random.nextInt(16, 400);
                seeds[i] = random.nextInt();
                offset += lengths[i];
                model.add(new Slot(entry.index(), term, sequence, offsets[i], lengths[i], seeds[i]));
            }
            index.addAll(entries, sequence, Path.of(sequence + ".wal"), offsets, lengths, seeds);

            assertThat(index.lastIndex()).as("seed %d, save %d", seed, save).isEqualTo(model.size());
            for (int probe = 0; probe < 20; probe++) {
                long from = random.nextLong(1, model.size() + 1L);
                long to = Math.min(model.size() + 1L, from + random.nextLong(1, 5000));
                List<EntryIndex.Position> positions = index.pieces(from, to).stream()
                        .flatMap(piece -> piece.positions().stream()).toList();
                assertThat(positions).as("seed %d, save %d, [%d, %d)", seed, save, from, to).hasSize((int) (to - from));
                for (EntryIndex.Position position : positions) {
                    Slot expected = model.get((int) (position.index() - 1));
                    assertThat(position.run().sequence).as("seed %d, entry %d", seed, position.index())
                            .isEqualTo(expected.sequence());
                    assertThat(position.offset()).as("seed %d, entry %d", seed, position.index())
                            .isEqualTo(expected.offset());
                    assertThat(position.length()).isEqualTo(expected.length());
                    assertThat(position.crcSeed()).isEqualTo(expected.seed());
                }
                assertThat(index.term(from)).as("seed %d, term of %d", seed, from)
                        .isEqualTo(model.get((int) (from - 1)).term());
            }
        }
    }
}

package dev.jwal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries of a type number jwal has no name for read, write and replay as etcd's do: the number is
 * kept, so a type from a newer raft survives a round trip through jwal.
 */
class UnknownEntryTypeTest {

    @TempDir
    Path temp;

    private static final WalOptions OPTIONS = WalOptions.builder().preallocate(false).build();

    @Test
    void anUnknownTypeNumberIsKeptThroughSaveReadAllReplayAndReadsByIndex() {
        List<Entry> saved = List.of(Entry.normal(1, 1, new byte[] {1}), Entry.ofTypeNumber(1, 2, 3, new byte[] {2}),
                Entry.ofTypeNumber(1, 3, 77, null), Entry.ofTypeNumber(1, 4, -5, new byte[0]),
                new Entry(1, 5, EntryType.CONF_CHANGE_V2, new byte[] {5}));
        try (Wal wal = Wal.create(temp.resolve("wal"), null, OPTIONS)) {
            wal.save(new HardState(1, 1, 5), saved);
            assertThat(wal.entries(1, 6)).containsExactlyElementsOf(saved);
        }
        try (Wal wal = Wal.open(temp.resolve("wal"), WalSnapshot.ZERO, OPTIONS)) {
            List<Entry> read = wal.readAll().entries();
            assertThat(read).containsExactlyElementsOf(saved);
            assertThat(read.get(1).type()).isEqualTo(EntryType.UNKNOWN);
            assertThat(read.get(1).typeNumber()).isEqualTo(3);
            assertThat(read.get(3).typeNumber()).isEqualTo(-5);
            assertThat(read.get(2).toString()).contains("type=UNKNOWN(77)");
        }
    }

    @Test
    void theBytesAreGogosForTheSameTypeNumber() {
        // Type, Term, Index, Data in field order, as gogo's Marshal writes them
        assertThat(encode(Entry.ofTypeNumber(7, 9, 3, new byte[] {9, 8})))
                .containsExactly(0x08, 3, 0x10, 7, 0x18, 9, 0x22, 2, 9, 8);
        // a negative int32 enum is a ten-byte varint (gogo: uint64(m.Type))
        Entry negative = Entry.ofTypeNumber(7, 9, -5, null);
        byte[] bytes = encode(negative);
        assertThat(bytes).containsExactly(0x08, 0xFB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x10, 7,
                0x18, 9);
        assertThat(RaftCodec.decodeEntry(new ProtoReader().reset(bytes, 0, bytes.length))).isEqualTo(negative);
    }

    private static byte[] encode(Entry entry) {
        byte[] bytes = new byte[RaftCodec.entrySize(entry)];
        int pos = RaftCodec.writeEntryPrefix(entry, bytes, 0);
        if (entry.data() != null) {
            System.arraycopy(entry.data(), 0, bytes, pos, entry.data().length);
        }
        return bytes;
    }

    @Test
    void aTypeAndANumberThatDisagreeAreRefused() {
        assertThatThrownBy(() -> new Entry(1, 1, EntryType.UNKNOWN, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entry type number 0 is NORMAL");
        assertThatThrownBy(() -> new Entry(1, 1, EntryType.NORMAL, null, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not NORMAL");
        assertThatThrownBy(() -> new Entry(1, 1, EntryType.UNKNOWN, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

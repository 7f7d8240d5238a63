package dev.jwal.core.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.jwal.core.ConfState;
import dev.jwal.core.Entry;
import dev.jwal.core.EntryType;
import dev.jwal.core.HardState;
import dev.jwal.core.WalSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written codec against protobuf-java's code generated from etcd's .proto files: every
 * field set (etcd always writes the scalars), so the two must agree byte for byte.
 */
class RaftCodecTest {

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= 20; s++) {
            seeds.add(s);
        }
        return seeds;
    }

    private static long anyLong(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextLong(0, 128);
            case 2 -> random.nextLong(0, 1L << 40);
            default -> random.nextLong();
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void entriesEncodeAsProtobufJavaAndDecodeBack(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            byte[] data = random.nextInt(5) == 0 ? null : new byte[random.nextInt(0, 300)];
            if (data != null) {
                random.nextBytes(data);
            }
            Entry entry = new Entry(anyLong(random), anyLong(random), EntryType.values()[random.nextInt(3)], data);
            dev.jwal.proto.Entry.Builder reference = dev.jwal.proto.Entry.newBuilder().setTerm(entry.term())
                    .setIndex(entry.index()).setType(dev.jwal.proto.EntryType.forNumber(entry.type().number()));
            if (data != null) {
                reference.setData(ByteString.copyFrom(data));
            }
            byte[] expected = reference.build().toByteArray();

            byte[] ours = new byte[RaftCodec.entrySize(entry)];
            int pos = RaftCodec.writeEntryPrefix(entry, ours, 0);
            if (data != null) {
                System.arraycopy(data, 0, ours, pos, data.length);
            }
            assertThat(ours).as("seed %d: %s", seed, entry).isEqualTo(expected);
            assertThat(RaftCodec.decodeEntry(new ProtoReader().reset(expected, 0, expected.length))).isEqualTo(entry);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void hardStatesAndSnapshotsEncodeAsProtobufJava(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        HardState state = new HardState(anyLong(random), anyLong(random), anyLong(random));
        byte[] buf = new byte[RaftCodec.MAX_HARD_STATE];
        int length = RaftCodec.writeHardState(state, buf, 0);
        byte[] expected = dev.jwal.proto.HardState.newBuilder().setTerm(state.term()).setVote(state.vote())
                .setCommit(state.commit()).build().toByteArray();
        assertThat(java.util.Arrays.copyOf(buf, length)).isEqualTo(expected);
        assertThat(RaftCodec.decodeHardState(new ProtoReader().reset(expected, 0, expected.length))).isEqualTo(state);

        ConfState conf = random.nextBoolean() ? null
                : new ConfState(List.of(anyLong(random), 2L), List.of(), List.of(anyLong(random)), List.of(9L),
                        random.nextBoolean());
        WalSnapshot snapshot = new WalSnapshot(anyLong(random), anyLong(random), conf);
        dev.jwal.proto.Snapshot.Builder reference = dev.jwal.proto.Snapshot.newBuilder().setIndex(snapshot.index())
                .setTerm(snapshot.term());
        if (conf != null) {
            reference.setConfState(dev.jwal.proto.ConfState.newBuilder().addAllVoters(conf.voters())
                    .addAllLearners(conf.learners()).addAllVotersOutgoing(conf.votersOutgoing())
                    .addAllLearnersNext(conf.learnersNext()).setAutoLeave(conf.autoLeave()));
        }
        byte[] expectedSnapshot = reference.build().toByteArray();
        assertThat(RaftCodec.encodeSnapshot(snapshot)).isEqualTo(expectedSnapshot);
        assertThat(RaftCodec.decodeSnapshot(new ProtoReader().reset(expectedSnapshot, 0, expectedSnapshot.length)))
                .isEqualTo(snapshot);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void unknownFieldsAreSkippedAsGogoDoes(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        dev.jwal.proto.HardState state = dev.jwal.proto.HardState.newBuilder().setTerm(3).setVote(2).setCommit(1)
                .build();
        byte[] known = state.toByteArray();
        // field 9 as varint, field 10 as fixed64, field 11 as bytes, field 12 as fixed32: all unknown
        byte[] extra = {(byte) 0x48, (byte) random.nextInt(0, 128), 0x51, 1, 2, 3, 4, 5, 6, 7, 8, 0x5a, 2, 9, 9,
                0x65, 1, 2, 3, 4};
        byte[] both = new byte[known.length + extra.length];
        System.arraycopy(known, 0, both, 0, known.length);
        System.arraycopy(extra, 0, both, known.length, extra.length);
        assertThat(RaftCodec.decodeHardState(new ProtoReader().reset(both, 0, both.length)))
                .isEqualTo(new HardState(3, 2, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRecordsFailLikeGogo(String name, byte[] bytes, boolean truncated) {
        RecordView view = new RecordView();
        assertThatThrownBy(() -> view.parse(new ProtoReader(), bytes, 0, bytes.length))
                .isInstanceOf(ProtoFormatException.class)
                .satisfies(e -> assertThat(((ProtoFormatException) e).isTruncated()).as(name).isEqualTo(truncated));
    }

    static List<Object[]> malformed() {
        return List.of(
                new Object[] {"wrong wire type for Type", new byte[] {0x0a, 0x00}, false},
                new Object[] {"wrong wire type for Data", new byte[] {0x18, 0x00}, false},
                new Object[] {"end group outside a group", new byte[] {0x0c}, false},
                new Object[] {"field number zero", new byte[] {0x00}, false},
                new Object[] {"varint of eleven bytes", new byte[] {0x08, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1},
                        false},
                new Object[] {"data longer than the record", new byte[] {0x1a, 0x05, 1, 2}, true},
                new Object[] {"varint cut off", new byte[] {0x08, (byte) 0x80}, true},
                new Object[] {"unknown fixed64 cut off", new byte[] {0x21, 1, 2}, true},
                new Object[] {"illegal wire type 6", new byte[] {0x26}, false});
    }
}

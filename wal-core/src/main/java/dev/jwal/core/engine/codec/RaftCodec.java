package dev.jwal.core.engine.codec;

import dev.jwal.core.ConfState;
import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.WalSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code raftpb.Entry}, {@code raftpb.HardState} and {@code walpb.Snapshot} as etcd writes them:
 * every scalar field, zero or not, in field-number order; an entry's data only when it is not
 * {@code null}; a snapshot's membership only when there is one.
 *
 * <p>An entry is encoded in two parts so that its payload is copied once, straight into the write
 * buffer: {@link #writeEntryPrefix} writes everything before the payload bytes.
 */
public final class RaftCodec {

    /** The longest entry prefix: three tagged 10-byte varints and a tagged 5-byte length. */
    public static final int MAX_ENTRY_PREFIX = 3 * 11 + 6;

    /** The longest encoded hard state. */
    public static final int MAX_HARD_STATE = 3 * 11;

    private RaftCodec() {
    }

    /** Bytes of the encoded entry before its payload. */
    public static int entryPrefixSize(Entry entry) {
        int size = ProtoWriter.varintFieldSize(entry.typeNumber()) + ProtoWriter.varintFieldSize(entry.term())
                + ProtoWriter.varintFieldSize(entry.index());
        byte[] data = entry.data();
        return data == null ? size : size + 1 + ProtoWriter.varintSize(data.length);
    }

    /** Bytes of the whole encoded entry. */
    public static int entrySize(Entry entry) {
        return entryPrefixSize(entry) + entry.dataLength();
    }

    /** Writes the entry up to its payload at {@code pos}; returns the position after it. */
    public static int writeEntryPrefix(Entry entry, byte[] buf, int pos) {
        pos = ProtoWriter.writeVarintField(buf, pos, 1, entry.typeNumber());
        pos = ProtoWriter.writeVarintField(buf, pos, 2, entry.term());
        pos = ProtoWriter.writeVarintField(buf, pos, 3, entry.index());
        byte[] data = entry.data();
        if (data != null) {
            pos = ProtoWriter.writeLengthPrefix(buf, pos, 4, data.length);
        }
        return pos;
    }

    /** Writes the hard state at {@code pos}; returns the position after it. */
    public static int writeHardState(HardState state, byte[] buf, int pos) {
        pos = ProtoWriter.writeVarintField(buf, pos, 1, state.term());
        pos = ProtoWriter.writeVarintField(buf, pos, 2, state.vote());
        return ProtoWriter.writeVarintField(buf, pos, 3, state.commit());
    }

    /** The encoded snapshot marker. */
    public static byte[] encodeSnapshot(WalSnapshot snapshot) {
        byte[] conf = snapshot.confState() == null ? null : encodeConfState(snapshot.confState());
        int size = ProtoWriter.varintFieldSize(snapshot.index()) + ProtoWriter.varintFieldSize(snapshot.term())
                + (conf == null ? 0 : ProtoWriter.bytesFieldSize(conf.length));
        byte[] buf = new byte[size];
        int pos = ProtoWriter.writeVarintField(buf, 0, 1, snapshot.index());
        pos = ProtoWriter.writeVarintField(buf, pos, 2, snapshot.term());
        if (conf != null) {
            pos = ProtoWriter.writeLengthPrefix(buf, pos, 3, conf.length);
            System.arraycopy(conf, 0, buf, pos, conf.length);
        }
        return buf;
    }

    private static byte[] encodeConfState(ConfState conf) {
        int size = 2;
        List<List<Long>> lists = List.of(conf.voters(), conf.learners(), conf.votersOutgoing(), conf.learnersNext());
        for (List<Long> list : lists) {
            for (long id : list) {
                size += ProtoWriter.varintFieldSize(id);
            }
        }
        byte[] buf = new byte[size];
        int pos = 0;
        for (int field = 1; field <= lists.size(); field++) {
            for (long id : lists.get(field - 1)) {
                pos = ProtoWriter.writeVarintField(buf, pos, field, id);
            }
        }
        ProtoWriter.writeVarintField(buf, pos, 5, conf.autoLeave() ? 1 : 0);
        return buf;
    }

    /** Decodes an entry; its payload is copied out of {@code buf}. */
    public static Entry decodeEntry(ProtoReader reader) {
        long type = 0;
        long term = 0;
        long index = 0;
        byte[] data = null;
        while (reader.nextField("Entry")) {
            switch (reader.fieldNumber()) {
                case 1 -> type = (int) reader.varintField("Type");
                case 2 -> term = reader.varintField("Term");
                case 3 -> index = reader.varintField("Index");
                case 4 -> {
                    reader.bytesField("Data");
                    data = Arrays.copyOfRange(reader.buffer(), reader.fieldStart(),
                            reader.fieldStart() + reader.fieldLength());
                }
                default -> reader.skipField();
            }
        }
        // Any number reads, as in etcd: a type from a newer raft is kept and written back as it was.
        return Entry.ofTypeNumber(term, index, (int) type, data);
    }

    /**
     * The index of an encoded entry, read without copying its payload: for a reader passing over
     * entries on its way to the ones it wants. Fields in any order, as {@link #decodeEntry}.
     */
    public static long entryIndex(ProtoReader reader) {
        long index = 0;
        while (reader.nextField("Entry")) {
            if (reader.fieldNumber() == 3) {
                index = reader.varintField("Index");
            } else {
                reader.skipField();
            }
        }
        return index;
    }

    /** Decodes a hard state. */
    public static HardState decodeHardState(ProtoReader reader) {
        long term = 0;
        long vote = 0;
        long commit = 0;
        while (reader.nextField("HardState")) {
            switch (reader.fieldNumber()) {
                case 1 -> term = reader.varintField("Term");
                case 2 -> vote = reader.varintField("Vote");
                case 3 -> commit = reader.varintField("Commit");
                default -> reader.skipField();
            }
        }
        return new HardState(term, vote, commit);
    }

    /** Decodes a snapshot marker. */
    public static WalSnapshot decodeSnapshot(ProtoReader reader) {
        long index = 0;
        long term = 0;
        ConfState conf = null;
        int confStart = -1;
        int confLength = 0;
        while (reader.nextField("Snapshot")) {
            switch (reader.fieldNumber()) {
                case 1 -> index = reader.varintField("Index");
                case 2 -> term = reader.varintField("Term");
                case 3 -> {
                    reader.bytesField("ConfState");
                    confStart = reader.fieldStart();
                    confLength = reader.fieldLength();
                }
                default -> reader.skipField();
            }
        }
        if (confStart >= 0) {
            conf = decodeConfState(new ProtoReader().reset(reader.buffer(), confStart, confLength));
        }
        return new WalSnapshot(index, term, conf);
    }

    private static ConfState decodeConfState(ProtoReader reader) {
        List<Long> voters = new ArrayList<>();
        List<Long> learners = new ArrayList<>();
        List<Long> votersOutgoing = new ArrayList<>();
        List<Long> learnersNext = new ArrayList<>();
        boolean autoLeave = false;
        while (reader.nextField("ConfState")) {
            switch (reader.fieldNumber()) {
                case 1 -> reader.repeatedVarintField("Voters", voters::add);
                case 2 -> reader.repeatedVarintField("Learners", learners::add);
                case 3 -> reader.repeatedVarintField("VotersOutgoing", votersOutgoing::add);
                case 4 -> reader.repeatedVarintField("LearnersNext", learnersNext::add);
                case 5 -> autoLeave = reader.varintField("AutoLeave") != 0;
                default -> reader.skipField();
            }
        }
        return new ConfState(voters, learners, votersOutgoing, learnersNext, autoLeave);
    }
}

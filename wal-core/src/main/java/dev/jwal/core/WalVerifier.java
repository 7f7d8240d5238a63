package dev.jwal.core;

import dev.jwal.core.codec.ProtoReader;
import dev.jwal.core.codec.RaftCodec;
import dev.jwal.core.codec.RecordType;
import dev.jwal.core.codec.RecordView;
import dev.jwal.core.segment.FrameDecoder;
import dev.jwal.core.segment.SegmentDirectory;
import dev.jwal.core.segment.SegmentName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** etcd's read-only whole-directory passes: {@code Verify} and {@code ValidSnapshotEntries}. */
final class WalVerifier {

    private WalVerifier() {
    }

    static HardState verify(Path directory, WalSnapshot snapshot, WalOptions options) {
        Path dir = directory.toAbsolutePath().normalize();
        List<SegmentName> names = SegmentDirectory.selectFrom(options.disk(), dir, snapshot.index());
        VerifyPass pass = new VerifyPass(snapshot);
        SegmentFiles.scanReadOnly(dir, names, options, pass);
        if (!pass.found) {
            throw new SnapshotNotFoundException(snapshot, null);
        }
        return pass.state;
    }

    static List<WalSnapshot> validSnapshotEntries(Path directory, WalOptions options) {
        Path dir = directory.toAbsolutePath().normalize();
        List<SegmentName> names = SegmentDirectory.list(options.disk(), dir);
        if (names.isEmpty()) {
            throw new NoWalFilesException(dir, "no .wal files in the directory");
        }
        ProtoReader reader = new ProtoReader();
        List<WalSnapshot> snapshots = new ArrayList<>();
        HardState[] state = {HardState.EMPTY};
        SegmentFiles.scanReadOnly(dir, names, options, (record, decoder) -> {
            if (record.type() == RecordType.SNAPSHOT) {
                snapshots.add(RaftCodec.decodeSnapshot(record.readData(reader)));
            } else if (record.type() == RecordType.STATE) {
                state[0] = RaftCodec.decodeHardState(record.readData(reader));
            }
        });
        long commit = state[0].commit();
        return snapshots.stream().filter(s -> Long.compareUnsigned(s.index(), commit) <= 0).toList();
    }

    /** etcd's Verify loop: metadata agreement, the snapshot's term, the last state. */
    private static final class VerifyPass implements SegmentFiles.RecordVisitor {
        private final WalSnapshot snapshot;
        private final ProtoReader reader = new ProtoReader();
        private byte[] metadata;
        private HardState state = HardState.EMPTY;
        private boolean found;

        VerifyPass(WalSnapshot snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public void visit(RecordView record, FrameDecoder decoder) {
            switch ((int) record.type() == record.type() ? (int) record.type() : -1) {
                case RecordType.METADATA -> {
                    byte[] data = record.copyData();
                    SegmentFiles.checkMetadata(metadata, data, decoder);
                    metadata = data;
                }
                case RecordType.SNAPSHOT -> found |= SegmentFiles.isTheSnapshot(snapshot,
                        RaftCodec.decodeSnapshot(record.readData(reader)));
                case RecordType.STATE -> state = RaftCodec.decodeHardState(record.readData(reader));
                case RecordType.ENTRY, RecordType.CRC -> {
                    // entries need no decoding to verify the log; crc records are the decoder's
                }
                default -> throw new UnknownRecordTypeException(record.type(), decoder.currentPath(),
                        decoder.recordOffset());
            }
        }
    }
}

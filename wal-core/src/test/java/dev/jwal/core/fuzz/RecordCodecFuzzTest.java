package dev.jwal.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jwal.core.engine.codec.ProtoFormatException;
import dev.jwal.core.engine.codec.ProtoReader;
import dev.jwal.core.engine.codec.RaftCodec;
import dev.jwal.core.engine.codec.RecordView;

/**
 * The protobuf decoders of records and of raft's messages over arbitrary bytes, past the CRC that
 * keeps the directory fuzzer from reaching them: they may only refuse with
 * {@link ProtoFormatException}, which the decoder turns into a named, typed corruption error.
 * It found a length near 2^63 overflowing the bounds check ({@code length-overflowing-varint}).
 * Fuzzing, for ten minutes: {@code JAZZER_FUZZ=1 ./mvnw -pl wal-core test -Dtest=RecordCodecFuzzTest}.
 */
class RecordCodecFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void decodersFailOnlyWithProtoFormatErrors(FuzzedDataProvider data) {
        int kind = data.consumeInt(0, 3);
        byte[] bytes = data.consumeRemainingAsBytes();
        ProtoReader reader = new ProtoReader();
        try {
            switch (kind) {
                case 0 -> new RecordView().parse(reader, bytes, 0, bytes.length);
                case 1 -> RaftCodec.decodeEntry(reader.reset(bytes, 0, bytes.length));
                case 2 -> RaftCodec.decodeHardState(reader.reset(bytes, 0, bytes.length));
                default -> RaftCodec.decodeSnapshot(reader.reset(bytes, 0, bytes.length));
            }
        } catch (ProtoFormatException expected) {
            // refused, as the contract says
        }
    }
}

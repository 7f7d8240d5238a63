package dev.jwal.core.engine.codec;

/**
 * Protobuf bytes that do not decode. {@link #isTruncated()} separates the two ways gogo-protobuf
 * fails, because etcd treats them differently: running out of bytes is {@code io.ErrUnexpectedEOF},
 * anything else is a {@code proto:} error.
 */
public final class ProtoFormatException extends RuntimeException {

    private final boolean truncated;

    private ProtoFormatException(String message, boolean truncated) {
        super(message, null, false, false);
        this.truncated = truncated;
    }

    static ProtoFormatException endOfMessage() {
        return new ProtoFormatException("unexpected end of message", true);
    }

    static ProtoFormatException malformed(String message) {
        return new ProtoFormatException(message, false);
    }

    /** True when the message ran past its end, false when its bytes are malformed. */
    public boolean isTruncated() {
        return truncated;
    }
}

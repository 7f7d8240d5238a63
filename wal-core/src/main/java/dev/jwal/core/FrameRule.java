package dev.jwal.core;

/**
 * How large a frame a reader accepts: what etcd's versions differ on.
 */
public enum FrameRule {
    /**
     * etcd since 3.5.5 (3.6 and 3.7): a frame is bounded by the bytes left in its file, so an
     * entry of any size that fits its segment reads; a length past the end of the file is an
     * unexpected EOF, and the torn-or-corrupt rules decide what may be cut. The default.
     */
    BYTES_LEFT_IN_FILE,
    /**
     * etcd 3.4: a frame of {@link WalOptions#maxRecordSize()} or more (10 MiB by default) is
     * {@link FrameTooLargeException}, whatever the file holds; for those who must match 3.4's
     * verdicts exactly.
     */
    ETCD_3_4
}

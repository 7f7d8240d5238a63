package dev.jwal.core;

import java.nio.file.Path;

/**
 * The log ends inside a record: a torn write at the tail of the last segment (a power loss
 * between a write and its fsync), or a frame that runs past the end of its file. etcd's
 * {@code io.ErrUnexpectedEOF}. Opening for writing refuses such a WAL;
 * {@link Wal#repair(Path)} cuts the tail off after keeping a {@code .broken} copy.
 */
public class UnexpectedEofException extends WalException {

    public UnexpectedEofException(String reason, Path file, long offset) {
        super("unexpected EOF: " + reason, file, offset, null);
    }
}

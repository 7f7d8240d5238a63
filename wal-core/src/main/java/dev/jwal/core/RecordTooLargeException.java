package dev.jwal.core;

/** A record to write is larger than {@link WalOptions#maxRecordSize()}; nothing of the save was written. */
public class RecordTooLargeException extends WalException {

    public RecordTooLargeException(long recordBytes, long limit, String what) {
        super("wal: " + what + " makes a record of " + recordBytes + " bytes, over the limit of " + limit
                + " (WalOptions.maxRecordSize)");
    }
}

package dev.jwal.spring.boot;

import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.ForwardingDisk;
import dev.jwal.core.io.RealDisk;
import java.io.IOException;

/** The real disk, whose fdatasyncs fail while {@link #failing} is set: a dying disk on demand. */
final class FailingSyncDisk extends ForwardingDisk {

    static final String MESSAGE = "EIO: the test's disk failed";

    static volatile boolean failing;

    FailingSyncDisk() {
        super(RealDisk.INSTANCE);
    }

    @Override
    protected DiskFile wrap(DiskFile file) {
        return new ForwardingDiskFile(file) {
            @Override
            public void sync() throws IOException {
                if (failing) {
                    throw new IOException(MESSAGE);
                }
                super.sync();
            }
        };
    }
}

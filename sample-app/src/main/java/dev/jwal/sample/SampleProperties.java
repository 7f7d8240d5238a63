package dev.jwal.sample;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** The sample key-value service's settings, under {@code app.*}. */
@ConfigurationProperties("app")
public class SampleProperties {

    /**
     * Directory holding all of the service's state: snapshots in its {@code snap} folder, and by
     * default the WAL in its {@code wal} folder ({@code wal.directory} moves the WAL alone).
     */
    private Path dataDir = Path.of("data");

    private final Kv kv = new Kv();

    private final Snapshot snapshot = new Snapshot();

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Kv getKv() {
        return kv;
    }

    public Snapshot getSnapshot() {
        return snapshot;
    }

    /** The directory snapshots are written to. */
    public Path snapshotDirectory() {
        return dataDir.resolve("snap");
    }

    /** Limits on what a client may store. */
    public static class Kv {

        /** Largest key accepted, counted in UTF-8 bytes; longer keys get 400. */
        private DataSize maxKeySize = DataSize.ofBytes(256);

        /** Largest value accepted; larger request bodies get 413. */
        private DataSize maxValueSize = DataSize.ofMegabytes(1);

        public DataSize getMaxKeySize() {
            return maxKeySize;
        }

        public void setMaxKeySize(DataSize maxKeySize) {
            this.maxKeySize = maxKeySize;
        }

        public DataSize getMaxValueSize() {
            return maxValueSize;
        }

        public void setMaxValueSize(DataSize maxValueSize) {
            this.maxValueSize = maxValueSize;
        }
    }

    /** When snapshots are taken and how much history is kept. */
    public static class Snapshot {

        /** Take a snapshot after this many entries have been written since the last one. */
        private long interval = 10_000;

        /** Snapshot files to keep; older ones are deleted after each new snapshot (etcd's --max-snapshots). */
        private int retain = 5;

        public long getInterval() {
            return interval;
        }

        public void setInterval(long interval) {
            this.interval = interval;
        }

        public int getRetain() {
            return retain;
        }

        public void setRetain(int retain) {
            this.retain = retain;
        }
    }
}

package dev.jwal.sample;

import dev.jwal.core.log.WalLog;
import dev.jwal.spring.boot.autoconfigure.WalProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the store on the starter's application log ({@code wal.api=log}); the {@code cluster}
 * profile replicates instead ({@link ClusterConfiguration}). The {@link KvRecovery}
 * is the log's recovery handler, so the starter hands it the records before any write.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleProperties.class)
@ConditionalOnBooleanProperty(name = "wal.raft.enabled", havingValue = false, matchIfMissing = true)
public class KvConfiguration {

    /** Bytes a command adds around its key and value: field tags and lengths, with room to spare. */
    static final long COMMAND_OVERHEAD = 64;

    @Bean
    public KvState kvState() {
        return new KvState();
    }

    /** Taken first: the snapshot files, and through them the WAL, are made only once it is held. */
    @Bean(destroyMethod = "close")
    public DataDirectoryLock dataDirectoryLock(SampleProperties properties) {
        return DataDirectoryLock.acquire(properties.getDataDir());
    }

    @Bean
    public SnapshotFiles snapshotFiles(DataDirectoryLock lock, SampleProperties properties) {
        return new SnapshotFiles(properties.snapshotDirectory());
    }

    @Bean
    public KvRecovery kvRecovery(SnapshotFiles snapshots, KvState state, SampleProperties properties,
            WalProperties walProperties) {
        checkSettings(properties, walProperties);
        KvRecovery recovery = new KvRecovery(snapshots, state, walProperties.getDirectory());
        recovery.refuseSnapshotsWithoutWal();
        return recovery;
    }

    @Bean
    public KvStore kvStore(WalLog wal, KvState state, SnapshotFiles snapshots, SampleProperties properties) {
        return new KvStore(wal, state, snapshots, properties.getSnapshot());
    }

    /** Fails startup on a setting that cannot work, naming the property. */
    static void checkSettings(SampleProperties properties, WalProperties walProperties) {
        SampleProperties.Kv kv = properties.getKv();
        SampleProperties.Snapshot snapshot = properties.getSnapshot();
        atLeastOne("app.kv.max-key-size", kv.getMaxKeySize().toBytes());
        atLeastOne("app.kv.max-value-size", kv.getMaxValueSize().toBytes());
        atLeastOne("app.snapshot.interval", snapshot.getInterval());
        atLeastOne("app.snapshot.retain", snapshot.getRetain());
        long largestCommand = kv.getMaxKeySize().toBytes() + kv.getMaxValueSize().toBytes() + COMMAND_OVERHEAD;
        long maxRecord = walProperties.getMaxRecordSize().toBytes();
        if (largestCommand > maxRecord) {
            throw new InvalidConfigurationPropertyValueException("app.kv.max-value-size", kv.getMaxValueSize(),
                    "the largest key and value make a WAL entry of up to " + largestCommand
                            + " bytes, more than wal.max-record-size (" + maxRecord + " bytes) allows");
        }
    }

    private static void atLeastOne(String property, long value) {
        if (value < 1) {
            throw new InvalidConfigurationPropertyValueException(property, value, "it must be at least 1");
        }
    }
}

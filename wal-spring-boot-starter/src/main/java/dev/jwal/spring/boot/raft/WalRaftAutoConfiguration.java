package dev.jwal.spring.boot.raft;

import dev.jwal.core.SyncPolicy;
import dev.jwal.core.WalOptions;
import dev.jwal.jgroups.raft.JwalRaftLog;
import dev.jwal.jgroups.raft.RaftChannels;
import dev.jwal.spring.boot.autoconfigure.ConfiguredWalOptions;
import dev.jwal.spring.boot.autoconfigure.ObservedWal;
import dev.jwal.spring.boot.autoconfigure.WalApi;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalProperties;
import dev.jwal.spring.boot.autoconfigure.WalStats;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgroups.JChannel;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of a jgroups-raft node on jwal's log with {@code wal.raft.enabled=true}: a
 * {@link JwalRaftLog} in {@code wal.directory} (in place of the {@code Wal} bean), a JGroups TCP
 * channel to the members of {@code wal.raft.members} with RAFT, ELECTION and REDIRECT on top
 * (jgroups-raft's own stack), and a {@link RaftHandle} over the application's
 * {@link StateMachine} bean. The node joins the cluster when the context starts, before the web
 * server takes requests, and leaves it after the web server has stopped. Health ({@code raft})
 * and meters ({@code wal.raft.*}) come with Actuator and Micrometer; the WAL's own health,
 * meters and endpoint work as for a {@code Wal}.
 */
@AutoConfiguration(after = WalAutoConfiguration.class)
@ConditionalOnClass({ JwalRaftLog.class, RaftHandle.class })
@ConditionalOnBooleanProperty(name = "wal.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("wal.raft.enabled")
public final class WalRaftAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    JwalRaftLog jwalRaftLog(WalProperties properties, ConfiguredWalOptions configured, WalStats stats)
            throws Exception {
        WalOptions options = configured.options();
        if (properties.getApi() != WalApi.RAFT) {
            throw new InvalidConfigurationPropertyValueException("wal.api", properties.getApi(),
                    "A jgroups-raft node (wal.raft.enabled=true) keeps raft's log: set wal.api=raft or leave it out");
        }
        if (properties.getMetadata() != null) {
            throw new InvalidConfigurationPropertyValueException("wal.metadata", properties.getMetadata(),
                    "A jgroups-raft log's metadata is always " + JwalRaftLog.METADATA + "; remove wal.metadata");
        }
        if (options.syncPolicy() != SyncPolicy.ALWAYS && options.syncPolicy() != SyncPolicy.GROUP) {
            throw new InvalidConfigurationPropertyValueException("wal.sync-policy", properties.getSyncPolicy(),
                    "RAFT acknowledges a write once a majority of logs hold it: every append must be fsync'd"
                            + " before it returns, so the policy must be 'always' or 'group'");
        }
        Path directory = properties.requireDirectory();
        JwalRaftLog log = new JwalRaftLog(options.toBuilder().spinWait(properties.getRaft().isSpinWait()).build());
        log.init(directory.toString(), Map.of());
        return log;
    }

    /** The node's WAL as the WAL's health indicator, meters, endpoint and lifecycle see it. */
    @Bean
    ObservedWal observedWal(JwalRaftLog log) {
        return new RaftObservedWal(log);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    JChannel jwalRaftChannel(WalProperties properties, JwalRaftLog log) throws Exception {
        WalProperties.RaftSettings raft = properties.getRaft();
        String node = raft.getNodeName();
        Map<String, String> members = raft.getMembers();
        if (members.isEmpty()) {
            throw new InvalidConfigurationPropertyValueException("wal.raft.members", members,
                    "List every member's raft id with its host:port, e.g. wal.raft.members.A=127.0.0.1:7800");
        }
        if (node == null || node.isBlank() || !members.containsKey(node)) {
            throw new InvalidConfigurationPropertyValueException("wal.raft.node-name", node,
                    "Name this node with one of the members in wal.raft.members: " + members.keySet());
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        InetSocketAddress own = null;
        for (Map.Entry<String, String> member : members.entrySet()) {
            InetSocketAddress address;
            try {
                address = RaftChannels.address(member.getValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException("wal.raft.members." + member.getKey(),
                        member.getValue(), e.getMessage());
            }
            peers.add(address);
            if (member.getKey().equals(node)) {
                own = address;
            }
        }
        InetSocketAddress bind = new InetSocketAddress(bindAddress(raft, own), raft.getPort() != null ? raft.getPort() : own.getPort());
        RAFT protocol = new RAFT().raftId(node).members(new ArrayList<>(members.keySet())).log(log)
                .maxLogSize(raft.getMaxLogSize().toBytes()).sendCommitsImmediately(raft.isSendCommitsImmediately());
        return RaftChannels.tcp(node, bind, peers, protocol, raft.getClientPort());
    }

    private static InetAddress bindAddress(WalProperties.RaftSettings raft, InetSocketAddress own) {
        if (raft.getBindAddress() == null) {
            return own.getAddress();
        }
        try {
            return InetAddress.getByName(raft.getBindAddress());
        } catch (UnknownHostException e) {
            throw new InvalidConfigurationPropertyValueException("wal.raft.bind-address", raft.getBindAddress(),
                    "Unknown host: " + e.getMessage());
        }
    }

    @Bean
    @ConditionalOnMissingBean
    RaftHandle raftHandle(JChannel jwalRaftChannel, ObjectProvider<StateMachine> stateMachine) {
        StateMachine machine = stateMachine.getIfUnique();
        if (machine == null) {
            throw new IllegalStateException("wal.raft.enabled=true needs exactly one org.jgroups.raft.StateMachine bean: "
                    + "the state the cluster replicates, which RAFT applies committed entries to");
        }
        return new RaftHandle(jwalRaftChannel, machine);
    }

    /** Takes the handle only so that it exists, its state machine set on RAFT, before the channel connects. */
    @Bean
    RaftChannelLifecycle raftChannelLifecycle(JChannel jwalRaftChannel, RaftHandle raftHandle, WalProperties properties,
            JwalRaftLog log) {
        raftHandle.raft().addRoleListener(new RaftRoleLog(raftHandle.raft(), jwalRaftChannel.getName()));
        return new RaftChannelLifecycle(jwalRaftChannel, properties.getRaft().getClusterName(), log,
                log.directory().toString());
    }
}

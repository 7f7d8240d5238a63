package dev.jwal.jgroups.raft;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.protocols.raft.CLIENT;
import org.jgroups.protocols.raft.ELECTION;
import org.jgroups.protocols.raft.NO_DUPES;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.REDIRECT;
import org.jgroups.stack.Protocol;

/**
 * A JGroups channel for a fixed set of raft members over TCP, discovered with TCPPING, as
 * jgroups-raft's own {@code raft.xml} stacks them (failure detection, reliable delivery, flow
 * control, fragmentation, then ELECTION, RAFT, REDIRECT and optionally CLIENT): what the Spring
 * Boot starter, the sample's cluster and the benchmarks start.
 */
public final class RaftChannels {

    private RaftChannels() {
    }

    /**
     * A channel named {@code nodeName}, listening on {@code bind}, finding its peers at
     * {@code peers} (every member's address, its own included), with {@code raft} configured by
     * the caller. {@code clientPort} above 0 adds jgroups-raft's CLIENT protocol there.
     */
    public static JChannel tcp(String nodeName, InetSocketAddress bind, List<InetSocketAddress> peers, RAFT raft,
            int clientPort) throws Exception {
        Objects.requireNonNull(raft, "raft");
        List<Protocol> stack = new ArrayList<>(List.of(
                new TCP().setBindAddress(bind.getAddress()).setBindPort(bind.getPort()).setPortRange(0),
                new TCPPING().setInitialHosts(peers).setPortRange(0),
                new MERGE3(),
                new FD_SOCK2(),
                new FD_ALL3(),
                new VERIFY_SUSPECT2(),
                new NAKACK2().useMcastXmit(false),
                new UNICAST3(),
                new STABLE(),
                new NO_DUPES(),
                new GMS().setJoinTimeout(2000),
                new UFC(),
                new MFC(),
                new FRAG4(),
                new ELECTION(),
                raft,
                new REDIRECT()));
        if (clientPort > 0) {
            stack.add(new CLIENT().setBindAddress(bind.getAddress()).setPort(clientPort));
        }
        return new JChannel(stack).name(nodeName);
    }

    /** {@code host:port} as an address; the port is required. */
    public static InetSocketAddress address(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("expected host:port, was '" + hostAndPort + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(hostAndPort.substring(0, colon)),
                    Integer.parseInt(hostAndPort.substring(colon + 1)));
        } catch (java.net.UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("expected host:port, was '" + hostAndPort + "': " + e.getMessage(), e);
        }
    }
}

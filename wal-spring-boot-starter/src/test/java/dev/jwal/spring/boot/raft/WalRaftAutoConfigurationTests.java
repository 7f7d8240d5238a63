package dev.jwal.spring.boot.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Wal;
import dev.jwal.jgroups.raft.JwalRaftLog;
import dev.jwal.spring.boot.actuate.WalHealthContributorAutoConfiguration;
import dev.jwal.spring.boot.actuate.WalMetricsAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalLogAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInput;
import java.io.DataOutput;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;

/** {@code wal.raft.*}: three nodes of one cluster, each its own context, and the misconfigurations. */
class WalRaftAutoConfigurationTests {

    @TempDir
    Path temp;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WalAutoConfiguration.class, WalLogAutoConfiguration.class,
                    WalRaftAutoConfiguration.class, WalHealthContributorAutoConfiguration.class,
                    WalMetricsAutoConfiguration.class, WalRaftObservabilityAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    /** Commands applied, in order. */
    static final class Recorder implements StateMachine {
        final List<String> applied = new CopyOnWriteArrayList<>();

        @Override
        public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
            applied.add(new String(data, offset, length, StandardCharsets.UTF_8));
            return null;
        }

        @Override
        public void readContentFrom(DataInput in) throws Exception {
            applied.clear();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                applied.add(in.readUTF());
            }
        }

        @Override
        public void writeContentTo(DataOutput out) throws Exception {
            out.writeInt(applied.size());
            for (String command : applied) {
                out.writeUTF(command);
            }
        }
    }

    private ApplicationContextRunner node(String name, List<Integer> ports) {
        List<String> properties = new ArrayList<>(List.of("wal.raft.enabled=true", "wal.raft.node-name=" + name,
                "wal.directory=" + temp.resolve(name), "wal.sync-policy=group", "wal.raft.cluster-name=starter-test"));
        String[] names = {"A", "B", "C"};
        for (int i = 0; i < names.length; i++) {
            properties.add("wal.raft.members." + names[i] + "=127.0.0.1:" + ports.get(i));
        }
        return runner.withBean(Recorder.class, Recorder::new).withPropertyValues(properties.toArray(String[]::new));
    }

    @Test
    void threeNodesElectALeaderAndReplicateThroughAnyOfThem() throws Exception {
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        node("A", ports).run(a -> node("B", ports).run(b -> node("C", ports).run(c -> {
            List<AssertableApplicationContext> nodes = List.of(a, b, c);
            for (AssertableApplicationContext node : nodes) {
                assertThat(node).hasNotFailed().hasSingleBean(JwalRaftLog.class).hasSingleBean(RaftHandle.class)
                        .doesNotHaveBean(Wal.class);
            }
            assertThat(await(() -> nodes.stream().anyMatch(node -> node.getBean(RaftHandle.class).isLeader())))
                    .as("a leader is elected").isTrue();
            byte[] command = "hello".getBytes(StandardCharsets.UTF_8);
            // through a follower: REDIRECT forwards it to the leader
            AssertableApplicationContext follower = nodes.stream()
                    .filter(node -> !node.getBean(RaftHandle.class).isLeader()).findFirst().orElseThrow();
            follower.getBean(RaftHandle.class).setAsync(command, 0, command.length, null).get(30, TimeUnit.SECONDS);
            for (AssertableApplicationContext node : nodes) {
                assertThat(await(() -> node.getBean(Recorder.class).applied.contains("hello")))
                        .as("applied on %s", node.getBean(RaftHandle.class).raftId()).isTrue();
                Health health = node.getBean("raftHealthIndicator", HealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsKeys("role", "term", "leader", "commitIndex", "appliedLag");
                Health wal = node.getBean("walHealthIndicator", HealthIndicator.class).health();
                assertThat(wal.getStatus()).isEqualTo(Status.UP);
                MeterRegistry meters = new SimpleMeterRegistry();
                node.getBean(RaftMetrics.class).bindTo(meters);
                // the meter reads RAFT's commit index, which is not updated in step with the state
                // machine watched above (it read 0 once in a full build): waited for the same way
                assertThat(await(() -> meters.get("wal.raft.commits").functionCounter().count() >= 1))
                        .as("commits counted on %s", node.getBean(RaftHandle.class).raftId()).isTrue();
                assertThat(meters.get("wal.raft.term").gauge().value()).isGreaterThanOrEqualTo(1);
            }
        })));
    }

    @Test
    void aNodeWithoutALeaderIsDownAndSaysSo() {
        // A alone of three members: no majority, so no leader, however long it waits.
        node("A", List.of(freePort(), freePort(), freePort())).run(a -> {
            assertThat(a).hasNotFailed();
            Health health = a.getBean("raftHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("error", "no leader known").containsEntry("node", "A")
                    .containsKeys("role", "term", "commitIndex", "appliedLag").doesNotContainKey("leader");
            assertThat(a.getBean(RaftHandle.class).raft().sendCommitsImmediately())
                    .as("commits travel with the next append or resend unless asked").isFalse();
        });
    }

    @Test
    void followersMayBeToldOfEachCommitAtOnce() {
        node("A", List.of(freePort(), freePort(), freePort())).withPropertyValues("wal.raft.send-commits-immediately=true")
                .run(a -> assertThat(a.getBean(RaftHandle.class).raft().sendCommitsImmediately()).isTrue());
    }

    @Test
    void aNodeNotAmongTheMembersIsNamed() {
        List<Integer> ports = List.of(1, 2, 3);
        node("A", ports).withPropertyValues("wal.raft.node-name=D").run(failsNaming("wal.raft.node-name"));
    }

    @Test
    void aMemberWithoutAPortIsNamed() {
        node("A", List.of(1, 2, 3)).withPropertyValues("wal.raft.members.B=localhost").run(failsNaming("wal.raft.members.B"));
    }

    @Test
    void aSyncPolicyThatDoesNotFsyncIsRefused() {
        node("A", List.of(1, 2, 3)).withPropertyValues("wal.sync-policy=none").run(failsNaming("wal.sync-policy"));
    }

    @Test
    void theApplicationLogApiIsRefused() {
        node("A", List.of(1, 2, 3)).withPropertyValues("wal.api=log").run(failsNaming("wal.api"));
    }

    @Test
    void withoutAStateMachineStartupSaysWhatIsMissing() {
        runner.withPropertyValues("wal.raft.enabled=true", "wal.raft.node-name=A", "wal.directory=" + temp.resolve("A"),
                "wal.raft.members.A=127.0.0.1:" + freePort()).run(context -> assertThat(context).getFailure()
                        .rootCause().hasMessageContaining("org.jgroups.raft.StateMachine bean"));
    }

    private static ContextConsumer<AssertableApplicationContext> failsNaming(String property) {
        return context -> assertThat(context).getFailure().rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationPropertyValueException) e).getName()).isEqualTo(property));
    }

    /** Waits for what RAFT's threads do and nothing signals; the condition decides, not the delay. */
    private static boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

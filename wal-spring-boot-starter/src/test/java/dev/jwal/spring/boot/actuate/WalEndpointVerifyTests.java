package dev.jwal.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.io.DiskFile;
import dev.jwal.core.io.ForwardingDisk;
import dev.jwal.core.io.RealDisk;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfiguration;
import dev.jwal.spring.boot.autoconfigure.WalOptionsCustomizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The endpoint's verify: one at a time, the others answered 429 at once, and paced reads. */
class WalEndpointVerifyTests {

    @TempDir
    Path temp;

    /** The real disk, whose reads on the thread named {@link #HELD} wait until released. */
    static final class HoldingDisk extends ForwardingDisk {
        static final String HELD = "first-verify";
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HoldingDisk() {
            super(RealDisk.INSTANCE);
        }

        @Override
        public DiskFile openForRead(Path file) throws IOException {
            return wrap(super.openForRead(file));
        }

        @Override
        protected DiskFile wrap(DiskFile file) {
            return new ForwardingDiskFile(file) {
                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    if (Thread.currentThread().getName().equals(HELD)) {
                        reading.countDown();
                        try {
                            if (!release.await(1, java.util.concurrent.TimeUnit.MINUTES)) {
                            throw new IOException("never released");
                        }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted", e);
                        }
                    }
                    return super.read(dst, position);
                }
            };
        }
    }

    private ApplicationContextRunner runner(HoldingDisk disk) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(WalAutoConfiguration.class, WalEndpointAutoConfiguration.class))
                .withBean(WalOptionsCustomizer.class, () -> builder -> builder.disk(disk))
                .withPropertyValues("wal.directory=" + temp.resolve("wal"), "wal.preallocate=false",
                        "wal.segment-size=1MB", "management.endpoints.web.exposure.include=wal");
    }

    @Test
    void aVerifyWhileOneRunsIsAnswered429AtOnce() {
        HoldingDisk disk = new HoldingDisk();
        runner(disk).run(context -> {
            Wal wal = context.getBean(Wal.class);
            wal.save(new HardState(1, 0, 1), List.of(Entry.normal(1, 1, new byte[100])));
            WalEndpoint endpoint = context.getBean(WalEndpoint.class);
            CompletableFuture<WebEndpointResponse<Object>> first = new CompletableFuture<>();
            Thread held = new Thread(() -> {
                try {
                    first.complete(endpoint.verify());
                } catch (Throwable t) {
                    first.completeExceptionally(t);
                }
            }, HoldingDisk.HELD);
            held.start();
            if (!disk.reading.await(1, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new AssertionError("the first verify never read: " + (first.isDone() ? first.join().getBody() : "running"));
            }

            WebEndpointResponse<Object> second = endpoint.verify();
            assertThat(second.getStatus()).isEqualTo(429);
            assertThat(((Map<?, ?>) second.getBody()).get("error")).isEqualTo("Too Many Requests");
            assertThat(second.getBody().toString()).contains(wal.directory().toString(), "running");

            disk.release.countDown();
            WebEndpointResponse<Object> answered = first.join();
            assertThat(answered.getStatus()).isEqualTo(200);
            assertThat(((WalEndpoint.Verification) answered.getBody()).verdict()).isEqualTo("CLEAN");
            // once the first has answered, the next runs
            assertThat(endpoint.verify().getStatus()).isEqualTo(200);
        });
    }

    @Test
    void verifyReadsArePacedByDefaultAndTheRateIsAProperty() {
        runner(new HoldingDisk()).run(context -> assertThat(context.getBean(WalEndpoint.class).verifyReadRate())
                .isEqualTo(64L << 20));
        runner(new HoldingDisk()).withPropertyValues("wal.endpoint.verify-read-rate=0").run(context -> {
            assertThat(context.getBean(WalEndpoint.class).verifyReadRate()).isZero();
            context.getBean(Wal.class).save(new HardState(1, 0, 1), List.of(Entry.normal(1, 1, new byte[100])));
            assertThat(context.getBean(WalEndpoint.class).verify().getStatus()).isEqualTo(200);
        });
        runner(new HoldingDisk()).withPropertyValues("wal.endpoint.verify-read-rate=-1B")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("wal.endpoint.verify-read-rate"));
    }
}

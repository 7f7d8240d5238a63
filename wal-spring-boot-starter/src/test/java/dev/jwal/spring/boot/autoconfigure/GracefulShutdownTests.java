package dev.jwal.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.Entry;
import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A graceful shutdown with a request in flight: the request still saves and is answered, because
 * the WAL syncs and closes only after the web server has finished serving; every answered save is
 * in the WAL afterwards.
 */
class GracefulShutdownTests {

    @TempDir
    Path temp;

    @Test
    void aRequestInFlightWhenTheContextClosesIsAnsweredAndItsSaveIsInTheWal() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .properties("server.port=0", "server.shutdown=graceful", "wal.directory=" + temp.resolve("wal"),
                        "wal.preallocate=false", "spring.main.banner-mode=off")
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 1; i <= 10; i++) {
            assertThat(http.send(save(port, false), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("" + i);
        }
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(save(port, true),
                HttpResponse.BodyHandlers.ofString());
        SaveController.arrived.await();
        // the held request saves once the close has begun (ContextClosedEvent), before the server stops
        context.close();
        HttpResponse<String> answer = inFlight.join();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("11");
        try (Wal reopened = Wal.open(temp.resolve("wal"), WalSnapshot.ZERO)) {
            assertThat(reopened.readAll().entries()).extracting(Entry::index)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        }
    }

    private static HttpRequest save(int port, boolean hold) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/save?hold=" + hold))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    /** No component scan: the other tests' configurations in this package stay out. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

        @Bean
        SaveController saveController(Wal wal) {
            return new SaveController(wal);
        }

        @Bean
        ApplicationListener<ContextClosedEvent> releaseTheHeldRequest() {
            return event -> SaveController.closing.countDown();
        }
    }

    @RestController
    static class SaveController {

        static final CountDownLatch arrived = new CountDownLatch(1);
        static final CountDownLatch closing = new CountDownLatch(1);

        private final Wal wal;

        SaveController(Wal wal) {
            this.wal = wal;
        }

        @PostMapping("/save")
        String save(@RequestParam boolean hold) throws InterruptedException {
            if (hold) {
                arrived.countDown();
                closing.await();
            }
            synchronized (this) {
                long index = wal.lastIndex() + 1;
                wal.save(new HardState(1, 0, index), List.of(Entry.normal(1, index, new byte[] {(byte) index})));
                return Long.toString(index);
            }
        }
    }
}

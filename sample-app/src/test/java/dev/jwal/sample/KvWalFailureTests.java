package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.spring.boot.autoconfigure.WalOptionsCustomizer;
import dev.jwal.spring.boot.test.AutoConfigureTestWal;
import dev.jwal.test.FaultyDisk;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A disk whose fdatasync fails under the service: the write that meets the failure is answered
 * 503 with its outcome unknown (it may be on disk), every later one 503 refused before anything is
 * written; the first is logged with its stack trace, the rest as one line each.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureTestWal
@ExtendWith(OutputCaptureExtension.class)
class KvWalFailureTests {

    @TempDir
    static Path temp;

    static volatile boolean failing;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("app.data-dir", () -> temp.resolve("data").toString());
    }

    @TestConfiguration
    static class DyingDisk {
        @Bean
        WalOptionsCustomizer dyingDisk() {
            return builder -> builder.disk(FaultyDisk.failingWhile(FaultyDisk.Operation.SYNC, () -> failing,
                    "EIO: the test's disk failed"));
        }
    }

    @LocalServerPort
    int port;

    @Test
    void theFailingWriteIsOutcomeUnknownAndLaterOnesAreRefusedQuietly(CapturedOutput output) {
        KvClient client = new KvClient(port);
        assertThat(client.put("before", "ok").statusCode()).isEqualTo(201);
        failing = true;
        try {
            HttpResponse<String> unknown = client.put("during", "maybe");
            assertThat(unknown.statusCode()).isEqualTo(503);
            JsonNode first = KvClient.parse(unknown.body());
            assertThat(first.get("title").asString()).isEqualTo("Write outcome unknown");
            assertThat(first.get("outcome").asString()).isEqualTo("unknown");
            assertThat(first.get("detail").asString()).contains("may or may not be durable", "EIO");

            int stackLines = countStackLines(output.getOut() + output.getErr());
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> refused = client.put("after-" + i, "no");
                assertThat(refused.statusCode()).isEqualTo(503);
                JsonNode later = KvClient.parse(refused.body());
                assertThat(later.get("outcome").asString()).isEqualTo("not-written");
                assertThat(later.get("detail").asString()).contains("refused before anything was written");
            }
            String all = output.getOut() + output.getErr();
            assertThat(countStackLines(all)).as("later refusals log no stack trace").isEqualTo(stackLines);
            assertThat(all).contains("Write refused (6 since the first)");
        } finally {
            failing = false;
        }
        assertThat(client.text("before")).isEqualTo("ok");
    }

    private static int countStackLines(String text) {
        int count = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("\tat ")) {
                count++;
            }
        }
        return count;
    }
}

package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.log.WalLog;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import dev.jwal.spring.boot.test.AutoConfigureTestWal;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The HTTP API: writes, reads, listings, every refusal, and the actuator the README shows. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"app.kv.max-key-size=16B", "app.kv.max-value-size=1KB"})
@AutoConfigureTestWal
class KvApiTests {

    @TempDir
    static Path temp;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("app.data-dir", () -> temp.resolve("data").toString());
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    WalLog wal;

    KvClient client;

    @BeforeEach
    void connect() {
        client = new KvClient(port);
    }

    @Test
    void putAnswers201ForANewKeyAnd200ForAReplacedOneOnceTheWalHoldsIt() {
        long before = wal.lastIndex();
        HttpResponse<String> created = client.put("colour", "red");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/kv/colour");
        JsonNode ack = KvClient.parse(created.body());
        assertThat(ack.get("index").asLong()).isEqualTo(before + 1).isEqualTo(wal.lastIndex());
        assertThat(ack.get("size").asInt()).isEqualTo(3);

        HttpResponse<String> replaced = client.put("colour", "blue");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(KvClient.parse(replaced.body()).get("index").asLong()).isEqualTo(before + 2);
        assertThat(client.text("colour")).isEqualTo("blue");
    }

    @Test
    void valuesComeBackByteForByte() {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        assertThat(client.put("bytes", value, "application/octet-stream").statusCode()).isEqualTo(201);
        HttpResponse<byte[]> read = client.get("bytes");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(read.body()).isEqualTo(value);
        assertThat(client.put("no-type", value, null).statusCode()).as("no content type is raw bytes").isEqualTo(201);
        assertThat(client.put("charset", "é".getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8")
                .statusCode()).isEqualTo(201);
        assertThat(client.text("charset")).isEqualTo("é");
    }

    @Test
    void deleteRemovesAKeyAndAnswers404WithoutWritingWhenItIsNotThere() {
        client.put("doomed", "x");
        assertThat(client.delete("doomed").statusCode()).isEqualTo(204);
        assertThat(client.get("doomed").statusCode()).isEqualTo(404);
        long before = wal.lastIndex();
        HttpResponse<String> again = client.delete("doomed");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(problem(again).get("title").asString()).isEqualTo("No such key");
        assertThat(wal.lastIndex()).isEqualTo(before);
    }

    @Test
    void aMissingKeyIs404WithAProblemDetail() {
        HttpResponse<String> missing = client.getText("/kv/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(problem(missing).get("detail").asString()).contains("nothing-here");
    }

    @Test
    void listingPagesThroughKeysInOrder() {
        for (String key : new String[] {"list-c", "list-a", "list-b", "list-d"}) {
            client.put(key, key.toUpperCase());
        }
        JsonNode first = client.json("/kv?after=list-&limit=2");
        assertThat(first.get("keys").findValuesAsString("key")).containsExactly("list-a", "list-b");
        assertThat(first.get("keys").get(0).get("size").asInt()).isEqualTo(6);
        assertThat(first.get("next").asString()).isEqualTo("list-b");
        JsonNode second = client.json("/kv?after=list-b&limit=2");
        assertThat(second.get("keys").findValuesAsString("key")).containsExactly("list-c", "list-d");
        JsonNode last = client.json("/kv?after=list-d&limit=2");
        assertThat(last.get("keys").findValuesAsString("key")).doesNotContain("list-a", "list-b", "list-c", "list-d");
        assertThat(client.json("/kv").get("keys").size()).isLessThanOrEqualTo(KvController.DEFAULT_LIST_LIMIT);
    }

    @Test
    void badRequestsAreRefusedWithProblemDetailsAndWriteNothing() {
        long before = wal.lastIndex();
        assertRefused(client.put("k", new byte[0], "text/plain"), 400, "the value is empty");
        assertRefused(client.put("k", new byte[1025], "application/octet-stream"), 413, "app.kv.max-value-size");
        assertRefused(client.put("a-key-longer-than-16", "v"), 400, "app.kv.max-key-size");
        assertRefused(client.put("k", "v".getBytes(StandardCharsets.UTF_8), "application/json"), 415, "application/json");
        assertRefused(client.put("k", "v=1".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"), 415,
                "x-www-form-urlencoded");
        assertRefused(client.put("", "v"), 400, "the key is empty");
        assertRefused(client.getText("/kv?limit=0"), 400, "limit must be between 1 and 1000");
        assertRefused(client.getText("/kv?limit=1001"), 400, "limit must be between 1 and 1000");
        assertRefused(client.getText("/kv?limit=lots"), 400, "limit");
        assertThat(wal.lastIndex()).isEqualTo(before);
        assertThat(client.get("k").statusCode()).isEqualTo(404);
    }

    @Test
    void aValueOfExactlyTheLimitIsAccepted() {
        byte[] value = new byte[1024];
        Arrays.fill(value, (byte) 'v');
        assertThat(client.put("full", value, "application/octet-stream").statusCode()).isEqualTo(201);
        assertThat(client.get("full").body()).isEqualTo(value);
    }

    @Test
    void actuatorShowsTheWalInHealthMetricsPrometheusAndItsEndpointOnItsOwnPort() {
        client.put("seen", "yes");
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(client.getText("/actuator/health").statusCode()).isEqualTo(404);
        KvClient client = new KvClient(managementPort);
        JsonNode health = client.json("/actuator/health");
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("wal").get("details").get("lastIndex").asLong())
                .isEqualTo(wal.lastIndex());
        assertThat(client.json("/actuator/metrics/wal.entries").get("measurements").get(0).get("value").asDouble())
                .isGreaterThanOrEqualTo(1);
        HttpResponse<String> prometheus = client.getText("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("wal_fsync_seconds_count{name=\"wal\"}", "wal_last_index{name=\"wal\"}");
        JsonNode endpoint = client.json("/actuator/wal");
        assertThat(endpoint.get("directory").asString()).isEqualTo(wal.directory().toString());
        assertThat(endpoint.get("segments").get(0).get("locked").asBoolean()).isTrue();
    }

    private static JsonNode problem(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return KvClient.parse(response.body());
    }

    private static void assertRefused(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = problem(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).contains(detail);
    }
}

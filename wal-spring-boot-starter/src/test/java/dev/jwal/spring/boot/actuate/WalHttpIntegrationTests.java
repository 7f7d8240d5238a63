package dev.jwal.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.HardState;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.spring.boot.autoconfigure.WalAutoConfigurationTests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The starter in a running web application: health, metrics and the wal endpoint over HTTP. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,metrics,wal",
        "management.endpoint.health.show-details=always", "wal.name=orders", "wal.preallocate=false" })
class WalHttpIntegrationTests {

    @TempDir
    static Path temp;

    @DynamicPropertySource
    static void walDirectory(DynamicPropertyRegistry registry) {
        registry.add("wal.directory", () -> temp.resolve("wal").toString());
    }

    @SpringBootApplication
    static class Application {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Wal wal;

    @Test
    void savesAreVisibleThroughHealthMetricsAndTheEndpoint() throws Exception {
        wal.save(new HardState(1, 1, 5), WalAutoConfigurationTests.entries(1, 5));

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode walHealth = JSON.readTree(health.body()).get("components").get("wal");
        assertThat(walHealth.get("status").asString()).isEqualTo("UP");
        assertThat(walHealth.get("details").get("lastIndex").asLong()).isEqualTo(5);

        JsonNode entries = JSON.readTree(get("/actuator/metrics/wal.entries?tag=name:orders").body());
        assertThat(entries.get("measurements").get(0).get("value").asDouble()).isEqualTo(5);
        JsonNode fsync = JSON.readTree(get("/actuator/metrics/wal.fsync").body());
        assertThat(fsync.get("baseUnit").asString()).isEqualTo("seconds");

        JsonNode summary = JSON.readTree(get("/actuator/wal").body());
        assertThat(summary.get("name").asString()).isEqualTo("orders");
        assertThat(summary.get("lastIndex").asLong()).isEqualTo(5);
        JsonNode segment = summary.get("segments").get(0);
        assertThat(segment.get("name").asString()).isEqualTo("0000000000000000-0000000000000000.wal");
        assertThat(segment.get("locked").asBoolean()).isTrue();

        JsonNode detail = JSON.readTree(get("/actuator/wal/0000000000000000-0000000000000000.wal").body());
        assertThat(detail.get("recordsByType").get("entry").asLong()).isEqualTo(5);
        assertThat(detail.get("lastEntryIndex").asLong()).isEqualTo(5);
        assertThat(detail.get("crc").asString()).isEqualTo("valid");

        HttpResponse<String> verify = http.send(HttpRequest.newBuilder(uri("/actuator/wal"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(verify.statusCode()).isEqualTo(200);
        JsonNode verdict = JSON.readTree(verify.body());
        assertThat(verdict.get("verdict").asString()).isEqualTo("CLEAN");
        assertThat(verdict.get("hardState").get("commit").asLong()).isEqualTo(5);
    }

    @Test
    void aSegmentNameCannotLeaveTheWalDirectory() throws Exception {
        assertThat(get("/actuator/wal/..%2F..%2Fetc%2Fpasswd").statusCode()).isIn(400, 404);
        assertThat(get("/actuator/wal/not-a-segment").statusCode()).isEqualTo(400);
        assertThat(get("/actuator/wal/00000000000000ff-0000000000000000.wal").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}

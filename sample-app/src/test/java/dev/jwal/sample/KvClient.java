package dev.jwal.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client of the sample's API, for tests. */
final class KvClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    KvClient(int port) {
        this.base = "http://localhost:" + port;
    }

    HttpResponse<String> put(String key, String text) {
        return put(key, text.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    HttpResponse<String> put(String key, byte[] value, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/kv/" + key))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(value));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> get(String key) {
        return send(HttpRequest.newBuilder(uri("/kv/" + key)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The value as text, or null when the key is not there. */
    String text(String key) {
        HttpResponse<byte[]> response = get(key);
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /kv/" + key + " answered " + response.statusCode());
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    HttpResponse<String> delete(String key) {
        return send(HttpRequest.newBuilder(uri("/kv/" + key)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getText(String path) {
        return send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String path) {
        HttpResponse<String> response = getText(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static JsonNode parse(String body) {
        return JSON.readTree(body);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            // A request the service never answers fails the test instead of hanging the build.
            return http.send(HttpRequest.newBuilder(request, (name, value) -> true).timeout(ANSWER_TIMEOUT).build(),
                    handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

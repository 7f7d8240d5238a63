package dev.jwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jwal.core.log.WalLog;
import dev.jwal.spring.boot.test.AutoConfigureTestWal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Requests as an attacker writes them, sent byte for byte over a socket (an HTTP client library
 * would refuse to send most of them): keys round-trip exactly or are refused, and every refusal,
 * whether Spring's, Tomcat's or the service's, is a problem detail, never a 500, and stores nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"app.kv.max-key-size=64B", "app.kv.max-value-size=1KB", "server.tomcat.connection-timeout=1s"})
@AutoConfigureTestWal
class KvCraftedRequestTests {

    @TempDir
    static Path temp;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("app.data-dir", () -> temp.resolve("data").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    WalLog wal;

    /** A response as read off the wire. */
    record Answer(int status, String head, String body) {

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    @Test
    void aKeyWithASemicolonRoundTripsExactly() throws IOException {
        Answer created = send("PUT /kv/a;b HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nfirst");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/kv/a%3Bb");
        assertThat(KvClient.parse(created.body()).get("key").asString()).isEqualTo("a;b");
        assertThat(get("/kv/a;b").body()).isEqualTo("first");
        assertThat(get("/kv/a%3Bb").body()).isEqualTo("first");
        assertThat(get("/kv/a").status()).isEqualTo(404);

        Answer replaced = send("PUT /kv/a%3Bb HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n"
                + "Connection: close\r\n\r\nsecond");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(get(created.header("Location")).body()).isEqualTo("second");
    }

    @Test
    void everyRefusalIsAProblemDetailAndStoresNothing() throws IOException {
        long before = wal.lastIndex();
        String longKey = "k".repeat(10_000);
        String[][] refused = {
            // what Tomcat refuses before the application sees it
            {"400", put("/kv/a%2Fb", "v")},
            {"400", put("/kv/a%5Cb", "v")},
            {"400", put("/kv/a%00b", "v")},
            {"400", put("/kv/a%C3%28b", "v")},
            {"400", put("/kv/" + longKey, "v")},
            {"400", "PUT /kv/x HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: -1\r\n"
                    + "Connection: close\r\n\r\nv"},
            {"405", "TRACE /kv/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"},
            // what Spring refuses
            {"415", "PUT /kv/x HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\n"
                    + "Content-Length: 10\r\nConnection: close\r\n\r\n--zz\r\nbrok"},
            // what the service refuses
            {"400", put("/kv/a%ZZ", "v")},
            {"400", put("/kv/a%C3", "v")},
            {"400", put("/kv/" + "k".repeat(65), "v")},
        };
        for (String[] request : refused) {
            assertProblem(send(request[1]), Integer.parseInt(request[0]), request[1]);
        }
        assertThat(wal.lastIndex()).isEqualTo(before);
    }

    @Test
    void aTruncatedOrStalledBodyIsRefusedAndStoresNothing() throws IOException {
        long before = wal.lastIndex();
        String head = "PUT /kv/partial HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n"
                + "Connection: close\r\n\r\n";
        // the client sends 3 of 100 bytes and closes its side
        assertProblem(send(head + "abc", true), 400, "truncated");
        // the client sends 3 of 100 bytes and then nothing: Tomcat's read time-out ends the wait
        Answer stalled = send(head + "abc", false);
        assertThat(stalled.status()).as(stalled.body()).isIn(400, 408);
        assertProblem(stalled, stalled.status(), "stalled");
        assertThat(wal.lastIndex()).isEqualTo(before);
        assertThat(get("/kv/partial").status()).isEqualTo(404);
    }

    private static String put(String path, String value) {
        return "PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: " + value.length()
                + "\r\nConnection: close\r\n\r\n" + value;
    }

    /**
     * Issue 37: requests that were answered 500 with a stack trace logged each time, or whose
     * 400 leaked Java's array notation, byte for byte as the operator sent them.
     */
    @Test
    void malformedFormBodiesTheErrorPathAndRepeatedParametersAreNo500() throws IOException {
        long before = wal.lastIndex();
        for (String method : new String[] {"PUT", "DELETE"}) {
            Answer form = send(method + " /kv/k HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 3\r\nConnection: close\r\n\r\n%ZZ");
            assertThat(form.status()).as(method + " " + form.body()).isBetween(400, 499);
            assertThat(form.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(wal.lastIndex()).as("nothing stored").isEqualTo(before);
        for (String method : new String[] {"GET", "POST", "PUT", "DELETE"}) {
            Answer error = send(method + " /error HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(error.status()).as(method + " /error").isEqualTo(404);
            assertThat(error.header("Content-Type")).startsWith("application/problem+json");
        }
        Answer repeated = get("/kv?limit=&limit=2");
        assertThat(repeated.status()).isEqualTo(400);
        assertThat(repeated.body()).contains("parameter 'limit' must be a whole number, was '' and '2'")
                .doesNotContain("[L").doesNotContain("java.lang");
    }

    private Answer get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    private static void assertProblem(Answer answer, int status, String request) {
        String what = request.length() > 120 ? request.substring(0, 120) + "..." : request;
        assertThat(answer.status()).as("%s answered %s", what, answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(what).startsWith("application/problem+json");
        JsonNode problem = KvClient.parse(answer.body());
        assertThat(problem.get("status").asInt()).as(what).isEqualTo(status);
        assertThat(problem.get("title").asString()).as(what).isNotBlank();
        assertThat(answer.body().toLowerCase(Locale.ROOT)).as(what).doesNotContain("tomcat", "exception");
    }

    private Answer send(String request) throws IOException {
        return send(request, true);
    }

    /** Sends the bytes as they are, optionally closing the sending side, and reads to the end. */
    private Answer send(String request, boolean closeOutput) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (closeOutput) {
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            String text = received.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            int status = Integer.parseInt(head.substring(9, 12));
            return new Answer(status, head, body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}

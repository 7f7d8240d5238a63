package dev.jwal.sample;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * The HTTP face of the {@link KvService}: {@code PUT}, {@code GET} and {@code DELETE} on
 * {@code /kv/{key}} with raw values, and {@code GET /kv} listing keys a page at a time. Every
 * request is checked whole before anything is written.
 */
@RestController
@RequestMapping("/kv")
public class KvController {

    /** Keys listed when the request names no limit. */
    static final int DEFAULT_LIST_LIMIT = 100;

    /** The most keys one listing returns. */
    static final int MAX_LIST_LIMIT = 1000;

    private final KvService store;
    private final long maxKeyBytes;
    private final long maxValueBytes;

    public KvController(KvService store, SampleProperties properties) {
        this.store = store;
        this.maxKeyBytes = properties.getKv().getMaxKeySize().toBytes();
        this.maxValueBytes = properties.getKv().getMaxValueSize().toBytes();
    }

    /** Stores the request body as the key's value: 201 when the key is new, 200 when replaced. */
    @PutMapping(path = "/{key}", consumes = {MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.TEXT_PLAIN_VALUE})
    public ResponseEntity<WriteResponse> put(HttpServletRequest request,
            @RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength,
            InputStream body) {
        String key = keyOf(request);
        ByteString value = readValue(contentLength, body);
        KvStore.Write write = store.put(key, value);
        WriteResponse response = new WriteResponse(key, write.index(), value.size());
        return write.created()
                ? ResponseEntity.created(URI.create("/kv/" + encode(key))).body(response)
                : ResponseEntity.ok(response);
    }

    /** The key's value, exactly as stored. */
    @GetMapping("/{key}")
    public ResponseEntity<byte[]> get(HttpServletRequest request) {
        String key = keyOf(request);
        ByteString value = store.get(key).orElseThrow(() -> notFound(key));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(value.toByteArray());
    }

    /** Removes the key: 204, or 404 when it is not there. */
    @DeleteMapping("/{key}")
    public ResponseEntity<Void> delete(HttpServletRequest request) {
        String key = keyOf(request);
        store.delete(key).orElseThrow(() -> notFound(key));
        return ResponseEntity.noContent().build();
    }

    /**
     * Keys in order with their value sizes, {@code limit} at a time; pass the answer's
     * {@code next} as {@code after} for the following page.
     */
    @GetMapping
    public Listing list(@RequestParam(defaultValue = "" + DEFAULT_LIST_LIMIT) int limit,
            @RequestParam(required = false) String after) {
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw new KvRequestException(HttpStatus.BAD_REQUEST, "Invalid limit",
                    "limit must be between 1 and " + MAX_LIST_LIMIT + ", was " + limit);
        }
        List<Map.Entry<String, ByteString>> page = store.list(after, limit + 1);
        boolean more = page.size() > limit;
        List<KeyInfo> keys = page.stream().limit(limit).map(e -> new KeyInfo(e.getKey(), e.getValue().size())).toList();
        return new Listing(keys, more ? keys.get(keys.size() - 1).key() : null);
    }

    /** A path with no key after {@code /kv/}. */
    @RequestMapping(path = "/", method = {RequestMethod.GET, RequestMethod.PUT, RequestMethod.DELETE})
    public void emptyKey() {
        throw new KvRequestException(HttpStatus.BAD_REQUEST, "Invalid key", "the key is empty");
    }

    /**
     * The key exactly as the client sent it: the request path after {@code /kv/}, percent-decoded.
     * Spring's path variable would drop everything from a {@code ;} on (it reads it as matrix
     * parameters), so {@code a;b} would store under {@code a}. Tomcat has already refused
     * malformed encodings, an encoded {@code /}, {@code \} and NUL.
     */
    private String keyOf(HttpServletRequest request) {
        String prefix = request.getContextPath() + "/kv/";
        String raw = request.getRequestURI();
        if (!raw.startsWith(prefix) || raw.indexOf('/', prefix.length()) >= 0) {
            throw new KvRequestException(HttpStatus.BAD_REQUEST, "Invalid key",
                    "a key is one path segment after /kv/ with any '/' in it encoded; the path was not");
        }
        String key = PathSegments.decode(raw.substring(prefix.length()))
                .orElseThrow(() -> new KvRequestException(HttpStatus.BAD_REQUEST, "Invalid key",
                        "the key's percent-encoding is malformed or not UTF-8"));
        checkKey(key);
        return key;
    }

    private void checkKey(String key) {
        if (key.isEmpty()) {
            throw new KvRequestException(HttpStatus.BAD_REQUEST, "Invalid key", "the key is empty");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxKeyBytes) {
            throw new KvRequestException(HttpStatus.BAD_REQUEST, "Invalid key",
                    "the key is " + bytes + " bytes long; at most " + maxKeyBytes + " are allowed (app.kv.max-key-size)");
        }
    }

    /** Reads at most one byte past the limit, so that an oversized body is refused without buffering it. */
    private ByteString readValue(Long contentLength, InputStream body) {
        if (contentLength != null && contentLength > maxValueBytes) {
            throw tooLarge(contentLength);
        }
        byte[] value;
        try {
            value = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxValueBytes + 1));
        } catch (SocketTimeoutException e) {
            throw new KvRequestException(HttpStatus.REQUEST_TIMEOUT, "Body too slow",
                    "the value did not arrive in time; nothing was stored");
        } catch (IOException e) {
            throw new KvRequestException(HttpStatus.BAD_REQUEST, "Incomplete body",
                    "the value ended before its Content-Length; nothing was stored");
        }
        if (contentLength != null && value.length < contentLength) {
            throw new KvRequestException(HttpStatus.BAD_REQUEST, "Incomplete body",
                    "the value ended after " + value.length + " of its " + contentLength + " bytes; nothing was stored");
        }
        if (value.length > maxValueBytes) {
            throw tooLarge(null);
        }
        if (value.length == 0) {
            throw new KvRequestException(HttpStatus.BAD_REQUEST, "Invalid value", "the value is empty");
        }
        return UnsafeByteOperations.unsafeWrap(value);
    }

    private KvRequestException tooLarge(Long size) {
        return new KvRequestException(HttpStatus.CONTENT_TOO_LARGE, "Value too large", "the value is "
                + (size == null ? "more than " + maxValueBytes : size) + " bytes; at most " + maxValueBytes
                + " are allowed (app.kv.max-value-size)");
    }

    private static KvRequestException notFound(String key) {
        return new KvRequestException(HttpStatus.NOT_FOUND, "No such key", "no value is stored under '" + key + "'");
    }

    /** The key as one path segment that reads back as the same key ({@code ;} encoded too). */
    static String encode(String key) {
        return UriUtils.encodePathSegment(key, StandardCharsets.UTF_8).replace(";", "%3B");
    }

    /**
     * A write's acknowledgement.
     *
     * @param key the key written
     * @param index the WAL index of the entry that holds the write
     * @param size the value's size in bytes
     */
    public record WriteResponse(String key, long index, int size) {
    }

    /**
     * One page of keys.
     *
     * @param keys the keys, in order
     * @param next the last key listed when more follow (pass it as {@code after}), else null
     */
    public record Listing(List<KeyInfo> keys, String next) {
    }

    /**
     * A key and the size of its value.
     *
     * @param key the key
     * @param size the value's size in bytes
     */
    public record KeyInfo(String key, int size) {
    }
}

package dev.jwal.sample;

import dev.jwal.core.RecordTooLargeException;
import dev.jwal.core.WalClosedException;
import dev.jwal.core.WalException;
import dev.jwal.core.WalPoisonedException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every error as a problem detail ({@code application/problem+json}): Spring MVC's own
 * (wrong content type, bad parameter, unknown path) through the base class, the store's refusals
 * as {@link KvRequestException}s, and a WAL that can no longer write as 503.
 */
@RestControllerAdvice
public class KvExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(KvExceptionHandler.class);

    /** A value the WAL refused before writing anything. */
    @ExceptionHandler
    public ProblemDetail recordTooLarge(RecordTooLargeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
        problem.setTitle("Value too large");
        return problem;
    }

    /** Refusals logged since the first failure, which alone is logged with its stack trace. */
    private final AtomicLong refusals = new AtomicLong();

    /**
     * The WAL could not take the write. Whether it is on disk depends on how: a save refused by a
     * WAL poisoned earlier wrote nothing; the save that met the failure (an fdatasync or write
     * error), or one whose wait was interrupted, may be durable or not, and its client must read
     * the key back after a restart to know. Either way later writes are refused until an operator
     * has looked at the disk and restarted the service.
     */
    @ExceptionHandler
    public ProblemDetail walFailed(WalException e) {
        boolean nothingWritten = e instanceof WalPoisonedException || e instanceof WalClosedException;
        long count = refusals.incrementAndGet();
        if (count == 1 && !nothingWritten) {
            log.error("Write failed in the WAL; its outcome is unknown, and later writes will be refused", e);
        } else if (count == 1) {
            log.error("Write refused: the WAL cannot accept writes", e);
        } else {
            // one line each: the cause was logged in full once, and every refusal has the same one
            log.warn("Write refused ({} since the first): {}", count, e.getMessage());
        }
        String detail = nothingWritten
                ? "the write was refused before anything was written: " + e.getMessage()
                : "the outcome of this write is unknown: it may or may not be durable (read the key back after a "
                        + "restart to know); later writes are refused before anything is written. " + e.getMessage();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle(nothingWritten ? "WAL unavailable" : "Write outcome unknown");
        problem.setProperty("outcome", nothingWritten ? "not-written" : "unknown");
        return problem;
    }

    /**
     * A parameter of the wrong type, worded for the client: Spring's own detail shows a repeated
     * parameter as Java's array notation ({@code [Ljava.lang.String;@6fbeea2b}).
     */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName()
                : ex.getPropertyName();
        Class<?> required = ex.getRequiredType();
        String expected = required == int.class || required == long.class || required == Integer.class
                || required == Long.class ? "a whole number" : "a single value";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "parameter '" + name + "' must be " + expected + ", was " + shown(ex.getValue()));
        problem.setTitle("Bad parameter");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** The value as given, each part quoted and cut short: a client's input, not Java's toString. */
    private static String shown(Object value) {
        if (value instanceof Object[] values) {
            return values.length == 1 ? shown(values[0])
                    : java.util.Arrays.stream(values).map(KvExceptionHandler::shown)
                            .collect(java.util.stream.Collectors.joining(" and "));
        }
        String text = String.valueOf(value);
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
}

package dev.jwal.sample;

import dev.jwal.core.RecordTooLargeException;
import dev.jwal.core.WalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
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

    /**
     * The WAL failed or is poisoned: the write was not acknowledged and later writes will be
     * refused too, until an operator has looked at the disk and restarted the service.
     */
    @ExceptionHandler
    public ProblemDetail walFailed(WalException e) {
        log.error("Write refused: the WAL cannot accept it", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("WAL unavailable");
        return problem;
    }
}

package dev.jwal.sample.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page, as a problem detail: what Tomcat or a filter refuses with {@code sendError}
 * (a method it does not allow, such as {@code TRACE}; a request that timed out) and anything that
 * escaped every handler. Replaces Spring Boot's default error JSON, which has another shape.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            // Asked for directly (GET /error): no error happened, and the path is no resource.
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No resource here"));
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = message instanceof String text && !text.isBlank() ? text : status.getReasonPhrase();
        if (status.is5xxServerError()) {
            // whatever failed inside is in the log, not in the answer
            detail = status.getReasonPhrase();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String path) {
            try {
                problem.setInstance(java.net.URI.create(path));
            } catch (IllegalArgumentException ignored) {
                // a path that is no URI is left out rather than echoed
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

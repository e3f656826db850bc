package org.civicgrid.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;

import org.civicgrid.database.DatabaseFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become HTTP answers: RFC 9457 problem bodies, 4xx for what the
 * caller can fix (naming the parameter or field), 5xx without internals for the rest.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    static final URI INVALID_PARAMETER = URI.create("urn:civicgrid:problem:invalid-parameter");
    static final URI CONSTRAINT_VIOLATION = URI.create("urn:civicgrid:problem:constraint-violation");
    static final URI CONFLICT = URI.create("urn:civicgrid:problem:conflict");
    static final URI UNAUTHENTICATED = URI.create("urn:civicgrid:problem:unauthenticated");
    static final URI FORBIDDEN = URI.create("urn:civicgrid:problem:forbidden");
    static final URI CSRF = URI.create("urn:civicgrid:problem:csrf");
    static final URI NOT_FOUND = URI.create("urn:civicgrid:problem:not-found");
    static final URI INTERNAL = URI.create("urn:civicgrid:problem:internal");
    static final URI TOO_LARGE = URI.create("urn:civicgrid:problem:payload-too-large");
    static final URI DATABASE_UNAVAILABLE = URI.create("urn:civicgrid:problem:database-unavailable");
    static final URI SERVER_BUSY = URI.create("urn:civicgrid:problem:server-busy");
    /** Seconds a client should wait before trying again while the database is away (a restart takes a few). */
    static final int RETRY_AFTER_SECONDS = 5;

    /** A request body failing its constraints: 400 naming every field and why. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
                .toList();
        String detail = errors.stream().map(f -> f.get("field") + ": " + f.get("message")).collect(Collectors.joining("; "));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, INVALID_PARAMETER, "Invalid request body", "Invalid fields: " + detail);
        problem.setProperty("errors", errors);
        if (errors.size() == 1) {
            problem.setProperty("parameter", errors.get(0).get("field"));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    /** A path or query value of the wrong type (e.g. /api/points/abc): 400 naming the parameter. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(org.springframework.beans.TypeMismatchException e, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = e instanceof org.springframework.web.method.annotation.MethodArgumentTypeMismatchException m ? m.getName()
                : String.valueOf(e.getPropertyName());
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, INVALID_PARAMETER, "Invalid request parameter",
                "Parameter '" + name + "': is not a valid " + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName()));
        problem.setProperty("parameter", name);
        return ResponseEntity.badRequest().body(problem);
    }

    /** A path refused by the security firewall (encoded ';' or '/', "..", control characters). */
    @ExceptionHandler(org.springframework.security.web.firewall.RequestRejectedException.class)
    ProblemDetail rejectedPath(org.springframework.security.web.firewall.RequestRejectedException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, INVALID_PARAMETER, "Invalid request path",
                "The request path holds characters that are not allowed (encoded ';' or '/', '..', or control characters).");
        problem.setProperty("parameter", "path");
        return problem;
    }

    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail invalidParameter(InvalidParameterException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, INVALID_PARAMETER, "Invalid request parameter",
                "Parameter '" + e.parameter() + "': " + e.getMessage());
        problem.setProperty("parameter", e.parameter());
        return problem;
    }

    @ExceptionHandler(AuthenticationException.class)
    ProblemDetail unauthenticated(AuthenticationException e) {
        return problem(HttpStatus.UNAUTHORIZED, UNAUTHENTICATED, "Sign-in required", e.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException e) {
        if (e instanceof CsrfException) {
            return problem(HttpStatus.FORBIDDEN, CSRF, "CSRF token missing or invalid",
                    "The request lacks a valid CSRF token (send the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header).");
        }
        return problem(HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", "Your role may not do this.");
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, CONFLICT, "Conflict", e.getMessage());
        e.properties().forEach(problem::setProperty);
        return problem;
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail constraintViolation(ConstraintViolationException e) {
        return problem(HttpStatus.BAD_REQUEST, CONSTRAINT_VIOLATION, "Invalid request", e.getMessage());
    }

    /** A multipart body that cannot be parsed (e.g. a NUL in a part header); too-large uploads stay 413 (base class). */
    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    ProblemDetail unreadableMultipart(org.springframework.web.multipart.MultipartException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, INVALID_PARAMETER, "Invalid request body",
                "The multipart/form-data body could not be read: check the part headers and file name.");
        problem.setProperty("parameter", "file");
        return problem;
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail dataConflict(DataIntegrityViolationException e) {
        if (rootMessage(e).startsWith("invalid byte sequence for encoding")) {
            // A NUL character (or non-UTF-8 bytes) in a parameter reached PostgreSQL: the input, not the data, is wrong.
            return problem(HttpStatus.BAD_REQUEST, INVALID_PARAMETER, "Invalid request parameter",
                    "A parameter holds a NUL character or bytes that are not UTF-8.");
        }
        return problem(HttpStatus.CONFLICT, CONFLICT, "Conflicting data", "The change conflicts with the stored data: " + rootMessage(e));
    }

    @ExceptionHandler(RequestBodyLimit.PayloadTooLargeException.class)
    ProblemDetail payloadTooLarge(RequestBodyLimit.PayloadTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, TOO_LARGE, "Request body too large", e.getMessage());
    }

    /** Writing the answer failed: when the cause is the database (the session store writes at commit), it is a 503 too. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotWritable(org.springframework.http.converter.HttpMessageNotWritableException e,
                                                                  HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (DatabaseFailures.isUnavailable(e)) {
            HttpServletResponse response = request instanceof ServletWebRequest servlet ? servlet.getResponse() : null;
            ResponseEntity<ProblemDetail> answer = databaseUnavailable(e, response);
            return new ResponseEntity<>(answer.getBody(), answer.getHeaders(), answer.getStatusCode());
        }
        return super.handleHttpMessageNotWritable(e, headers, status, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletResponse response) {
        if (DatabaseFailures.isUnavailable(e)) {
            return databaseUnavailable(e, response);
        }
        log.error("Unexpected error while handling a request", e);
        return ResponseEntity.internalServerError().body(problem(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL, "Internal error",
                "The server could not complete the request; the error has been logged."));
    }

    /**
     * The database cannot be reached (restarting, down, refusing connections), found anywhere in the cause chain:
     * 503 with Retry-After, a one-line log entry and no internals. Failures in servlet filters (the session store,
     * sign-in) arrive here through {@link DatabaseUnavailableFilter}.
     */
    static ResponseEntity<ProblemDetail> databaseUnavailable(Throwable e, HttpServletResponse response) {
        if (response != null && !response.isCommitted()) {
            // A failure while the answer was being written (e.g. a byte[] tile with its Content-Length and media type
            // already set): start the response afresh so the problem body is complete and correctly typed.
            response.reset();
        }
        ProblemDetail problem;
        if (DatabaseFailures.isPoolExhausted(e)) {
            // Every database connection of this instance stayed busy for the whole wait: overload, not an outage.
            log.warn("No free database connection in time (server busy): {}", rootMessage(e));
            problem = problem(HttpStatus.SERVICE_UNAVAILABLE, SERVER_BUSY, "Server busy",
                    "The server is too busy to take the request now; it was not carried out. Try again in " + RETRY_AFTER_SECONDS + " seconds.");
        } else {
            log.warn("Database unavailable while handling a request: {}", rootMessage(e));
            problem = problem(HttpStatus.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE, "Database unavailable",
                    "The database cannot be reached at the moment (it may be restarting), so the request may not have been carried out. "
                            + "Try again in " + RETRY_AFTER_SECONDS + " seconds; moves sent with an Idempotency-Key are safe to repeat.");
        }
        problem.setProperty("retryAfterSeconds", RETRY_AFTER_SECONDS);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        // PostgreSQL appends "Where:"/"Detail:" lines that name internals; the first line says what is wrong.
        return message.lines().findFirst().orElse(message).replaceFirst("^ERROR: ", "");
    }
}

package org.civicgrid.open311;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MultipartException;

import tools.jackson.databind.ObjectMapper;

/**
 * Errors of the Open311 endpoints in the spec's shape, a list of code and description
 * ({@code [{"code":400,"description":"…"}]}, or {@code <errors><error>…} for .xml), instead of the
 * problem JSON of the rest of the API. Anything not listed here falls through to ApiExceptionHandler.
 */
@RestControllerAdvice(assignableTypes = Open311Controller.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class Open311Errors {

    private final ObjectMapper json;

    Open311Errors(ObjectMapper json) {
        this.json = json;
    }

    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<byte[]> invalid(InvalidParameterException e, HttpServletRequest request) {
        return error(request, HttpStatus.BAD_REQUEST, e.parameter() + ": " + e.getMessage());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<byte[]> missing(MissingServletRequestParameterException e, HttpServletRequest request) {
        return error(request, HttpStatus.BAD_REQUEST, e.getParameterName() + ": is required");
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<byte[]> multipart(MultipartException e, HttpServletRequest request) {
        return error(request, HttpStatus.BAD_REQUEST, "media: the upload could not be read");
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<byte[]> notFound(NotFoundException e, HttpServletRequest request) {
        return error(request, HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<byte[]> forbidden(AccessDeniedException e, HttpServletRequest request) {
        return error(request, HttpStatus.FORBIDDEN, e.getMessage());
    }

    private ResponseEntity<byte[]> error(HttpServletRequest request, HttpStatus status, String description) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status.value());
        error.put("description", description);
        return Open311Format.ofPath(request.getRequestURI()).answer(status, "errors", List.of(error), json);
    }
}

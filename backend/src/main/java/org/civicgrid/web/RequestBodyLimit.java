package org.civicgrid.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bounds non-multipart request bodies (JSON, GeoJSON, forms) by their declared length before anything
 * reads them: over {@code civicgrid.web.max-body-size} the answer is a 413 problem. Multipart uploads are
 * bounded by {@code spring.servlet.multipart.*} instead (also 413, via ApiExceptionHandler).
 */
@Configuration(proxyBeanMethods = false)
class RequestBodyLimit implements WebMvcConfigurer, HandlerInterceptor {

    private final long maxBytes;

    RequestBodyLimit(@Value("${civicgrid.web.max-body-size:5MB}") DataSize maxBodySize) {
        this.maxBytes = maxBodySize.toBytes();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String type = request.getContentType();
        boolean multipart = type != null && type.toLowerCase().startsWith(MediaType.MULTIPART_FORM_DATA_VALUE);
        if (!multipart && request.getContentLengthLong() > maxBytes) {
            throw new PayloadTooLargeException("The request body of " + request.getContentLengthLong() + " bytes is larger than the "
                    + DataSize.ofBytes(maxBytes).toMegabytes() + " MB allowed for " + (type == null ? "a request body" : type) + ".");
        }
        return true;
    }

    /** Mapped to 413 by {@link ApiExceptionHandler}. */
    static final class PayloadTooLargeException extends RuntimeException {
        PayloadTooLargeException(String message) {
            super(message);
        }
    }
}

package org.civicgrid.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * A path the firewall refuses (encoded ';' or '/', "..", control characters): 400 with a problem body
 * from the one error mapping, instead of the container's error page.
 */
class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    private final HandlerExceptionResolver resolver;

    ProblemRequestRejectedHandler(HandlerExceptionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException exception) {
        resolver.resolveException(request, response, null, exception);
    }
}

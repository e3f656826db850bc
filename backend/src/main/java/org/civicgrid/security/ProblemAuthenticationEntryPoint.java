package org.civicgrid.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Not signed in: a page navigation goes to the login page; an API call gets 401 with a problem body,
 * produced by the same exception mapping as every other error.
 */
class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final HandlerExceptionResolver resolver;

    ProblemAuthenticationEntryPoint(HandlerExceptionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception) throws IOException {
        if (isPageNavigation(request)) {
            response.sendRedirect(request.getContextPath() + "/login.html");
            return;
        }
        resolver.resolveException(request, response, null, exception);
    }

    static boolean isPageNavigation(HttpServletRequest request) {
        String accept = String.valueOf(request.getHeader("Accept"));
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return HttpMethod.GET.matches(request.getMethod()) && accept.contains("text/html") && !path.startsWith("/api/");
    }
}

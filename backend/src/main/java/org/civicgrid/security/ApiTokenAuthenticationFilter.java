package org.civicgrid.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API clients (QGIS, scripts) by personal token: {@code Authorization: Bearer cg_…},
 * {@code X-API-Token: cg_…} or {@code ?access_token=cg_…} (for clients that can only set a URL), and on
 * the Open311 endpoints also as the spec's {@code api_key} parameter.
 * A presented but invalid token is refused outright: it never falls back to a session cookie.
 */
class ApiTokenAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Token";
    static final String QUERY_PARAMETER = "access_token";
    static final String OPEN311_PATH = "/open311/";
    static final String OPEN311_API_KEY = "api_key";

    private final ApiTokens tokens;
    private final AuthenticationEntryPoint entryPoint;

    ApiTokenAuthenticationFilter(ApiTokens tokens, AuthenticationEntryPoint entryPoint) {
        this.tokens = tokens;
        this.entryPoint = entryPoint;
    }

    static boolean presentsToken(HttpServletRequest request) {
        return presentedToken(request).isPresent();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = presentedToken(request);
        if (token.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<AccountRepository.Account> account = tokens.account(token.get());
        account.ifPresent(a -> request.setAttribute(CurrentUserResolver.ACCOUNT_ATTRIBUTE, a));
        Optional<SignInUser> user = account.map(a -> new SignInUser(a.id(), a.username(), null, a.enabled(), false, a.roles()));
        if (user.isEmpty()) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, new BadCredentialsException("The API token is unknown, revoked or expired."));
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user.get(), null, user.get().getAuthorities()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static Optional<String> presentedToken(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim());
        }
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return Optional.of(header.trim());
        }
        String parameter = request.getParameter(QUERY_PARAMETER);
        if ((parameter == null || parameter.isBlank()) && request.getRequestURI().startsWith(request.getContextPath() + OPEN311_PATH)) {
            // Open311 GeoReport v2 clients send the key as api_key (in the query, or in the form body of POST requests).
            parameter = request.getParameter(OPEN311_API_KEY);
        }
        return parameter == null || parameter.isBlank() ? Optional.empty() : Optional.of(parameter.trim());
    }
}

package org.civicgrid.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.civicgrid.map.BaseMapProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Who may call what. Roles gate whole areas of the API here; which objects a caller sees is decided
 * in SQL by each repository from the caller's scope (objects outside it answer 404, never 403).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** No inline scripts or styles anywhere; images only from here and from configured base-map tile servers. */
    static String contentSecurityPolicy(List<String> tileOrigins) {
        String images = String.join(" ", tileOrigins);
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:" + (images.isEmpty() ? "" : " " + images)
                + "; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    static final String[] PUBLIC_PATHS = {"/login.html", "/css/**", "/js/**", "/i18n/**", "/webjars/**", "/favicon.svg", "/error",
            "/actuator/health", "/actuator/health/**"};

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, ApiTokens tokens,
                                            LoginOutcomeHandlers loginOutcomes, ProblemAuthenticationEntryPoint entryPoint,
                                            ProblemAccessDeniedHandler accessDenied, BaseMapProperties baseMaps) throws Exception {
        http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(PUBLIC_PATHS).permitAll()
                        .requestMatchers(HttpMethod.POST, "/login").permitAll()
                        .requestMatchers("/api/admin/**").hasRole(Role.ADMIN.name())
                        // The admin page shows leaders only its audit tab; the user API above stays admin-only.
                        .requestMatchers("/api/audit/**", "/admin.html").hasAnyRole(Role.ADMIN.name(), Role.LEADER.name())
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login.html").loginProcessingUrl("/login")
                        .successHandler(loginOutcomes).failureHandler(loginOutcomes).permitAll())
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login.html?logout").deleteCookies(SESSION_COOKIE))
                .csrf(csrf -> csrf
                        // The token travels only in a cookie and a header or form field, never in a (compressed) page body,
                        // so the plain handler is enough and lets static pages put it into forms as-is.
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers(ApiTokenAuthenticationFilter::presentsToken))
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, entryPoint), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new CsrfCookieFilter(), UsernamePasswordAuthenticationFilter.class)
                .requestCache(cache -> cache.requestCache(pageNavigationCache()))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy(baseMaps.imageOrigins())))
                        .frameOptions(frame -> frame.deny())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .permissionsPolicyHeader(permissions -> permissions.policy("geolocation=(self), camera=(self), microphone=()")));
        return http.build();
    }

    static final String SESSION_COOKIE = "CIVICGRID_SESSION";

    /** Only page navigations are remembered for after sign-in, so API calls never create a session. */
    private static HttpSessionRequestCache pageNavigationCache() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setRequestMatcher(ProblemAuthenticationEntryPoint::isPageNavigation);
        return cache;
    }

    /** HttpOnly, SameSite=Lax, and Secure whenever the request came over TLS (directly or via a trusted proxy). */
    @Bean
    CookieSerializer sessionCookie() {
        DefaultCookieSerializer cookie = new DefaultCookieSerializer();
        cookie.setCookieName(SESSION_COOKIE);
        cookie.setUseHttpOnlyCookie(true);
        cookie.setSameSite("Lax");
        return cookie;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    ProblemAuthenticationEntryPoint problemAuthenticationEntryPoint(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        return new ProblemAuthenticationEntryPoint(resolver);
    }

    /** Picked up by Spring Security's filter chain proxy for requests its firewall refuses. */
    @Bean
    ProblemRequestRejectedHandler problemRequestRejectedHandler(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        return new ProblemRequestRejectedHandler(resolver);
    }

    @Bean
    ProblemAccessDeniedHandler problemAccessDeniedHandler(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        return new ProblemAccessDeniedHandler(resolver);
    }

    /** Makes sure the XSRF-TOKEN cookie is set on every page load, so the browser code can echo it. */
    static final class CsrfCookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            // A client with an API token neither needs nor echoes the cookie: writing one on each answer only costs time.
            if (!ApiTokenAuthenticationFilter.presentsToken(request) && request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}

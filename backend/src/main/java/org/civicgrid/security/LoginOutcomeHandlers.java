package org.civicgrid.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.civicgrid.audit.AuditTrail;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.stereotype.Component;

/**
 * Sign-in outcomes: a success clears the failure count; a failure counts, pauses longer and longer,
 * and at the limit locks the account. The login page learns only "wrong", "locked" or "disabled".
 */
@Component
@EnableConfigurationProperties(LoginProtectionProperties.class)
class LoginOutcomeHandlers implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private final AccountRepository accounts;
    private final LoginProtectionProperties protection;
    private final AuditTrail audit;
    private final SavedRequestAwareAuthenticationSuccessHandler redirectAfterLogin = new SavedRequestAwareAuthenticationSuccessHandler();

    LoginOutcomeHandlers(AccountRepository accounts, LoginProtectionProperties protection, AuditTrail audit) {
        this.accounts = accounts;
        this.protection = protection;
        this.audit = audit;
        redirectAfterLogin.setDefaultTargetUrl("/");
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException, jakarta.servlet.ServletException {
        SignInUser user = (SignInUser) authentication.getPrincipal();
        accounts.recordSuccess(user.id());
        audit.recordAs(user.getUsername(), "SIGN_IN", "app_user", user.id(), null, null);
        redirectAfterLogin.onAuthenticationSuccess(request, response, authentication);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        String username = String.valueOf(request.getParameter("username"));
        String reason;
        if (exception instanceof LockedException) {
            reason = "locked";
        } else if (exception instanceof DisabledException) {
            reason = "disabled";
        } else {
            reason = recordBadCredentials(username);
        }
        response.sendRedirect(request.getContextPath() + "/login.html?error=" + reason);
    }

    private String recordBadCredentials(String username) {
        var failure = accounts.recordFailure(username, protection.maxFailures(), protection.lockDuration().toSeconds());
        if (failure.isEmpty()) {
            return "bad-credentials";
        }
        int failures = failure.get().failedLogins();
        boolean nowLocked = failures >= protection.maxFailures();
        audit.recordAs(username, nowLocked ? "ACCOUNT_LOCKED" : "SIGN_IN_FAILED", "app_user", username, null,
                Map.of("failedLogins", failures));
        pause(protection.pauseAfter(failures));
        return nowLocked ? "locked" : "bad-credentials";
    }

    /** Slows down password guessing; bounded by slowdownMax, so a thread is never held for long. */
    private static void pause(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

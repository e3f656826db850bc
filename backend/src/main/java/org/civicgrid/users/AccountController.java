package org.civicgrid.users;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.security.ApiTokens;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's own account: profile, password, personal API tokens. */
@RestController
@RequestMapping("/api/me")
class AccountController {

    private static final int MAX_TOKEN_DAYS = 3650;

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final ApiTokens tokens;
    private final AuditTrail audit;

    AccountController(UserRepository users, PasswordEncoder passwords, ApiTokens tokens, AuditTrail audit) {
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.audit = audit;
    }

    @GetMapping
    UserView me(CurrentUser me) {
        return users.find(me.id()).orElseThrow(() -> new NotFoundException("user", me.id()));
    }

    @PostMapping("/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    public void changePassword(CurrentUser me, @Valid @RequestBody UserRequests.ChangePassword request) {
        String hash = users.passwordHash(me.id()).orElse(null);
        if (hash == null || !passwords.matches(request.currentPassword(), hash)) {
            throw new InvalidParameterException("currentPassword", "is not your current password");
        }
        if (request.newPassword().equals(request.currentPassword())) {
            throw new InvalidParameterException("newPassword", "must differ from the current password");
        }
        PasswordPolicy.check("newPassword", request.newPassword(), me.username());
        users.setPassword(me.id(), passwords.encode(request.newPassword()), false);
        tokens.accountChanged(me.id());
        audit.record("PASSWORD_CHANGED", "app_user", me.id(), null, null, Map.of("mustChangePassword", false));
    }

    @GetMapping("/tokens")
    List<ApiTokens.TokenInfo> tokens(CurrentUser me) {
        return tokens.list(me.id());
    }

    /** The token's secret is in this answer only; afterwards only its first characters are shown. */
    @PostMapping("/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    ApiTokens.IssuedToken issueToken(CurrentUser me, @Valid @RequestBody UserRequests.IssueToken request) {
        Instant expiresAt = null;
        if (request.expiresInDays() != null) {
            if (request.expiresInDays() < 1 || request.expiresInDays() > MAX_TOKEN_DAYS) {
                throw new InvalidParameterException("expiresInDays", "must be 1.." + MAX_TOKEN_DAYS);
            }
            expiresAt = Instant.now().plus(request.expiresInDays(), ChronoUnit.DAYS);
        }
        return tokens.issue(me.id(), request.name(), expiresAt);
    }

    @DeleteMapping("/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeToken(CurrentUser me, @PathVariable long id) {
        if (!tokens.revoke(me.id(), id)) {
            throw new NotFoundException("live token", id);
        }
    }
}

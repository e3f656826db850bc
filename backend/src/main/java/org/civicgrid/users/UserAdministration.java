package org.civicgrid.users;

import java.util.List;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.security.ApiTokens;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.ConflictException;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What admins do with users. An admin can only grant scopes inside their own scope and only manage
 * users inside it; everything is audited with the state before and after.
 */
@Service
class UserAdministration {

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final AuditTrail audit;
    private final ApiTokens tokens;

    UserAdministration(UserRepository users, PasswordEncoder passwords, AuditTrail audit, ApiTokens tokens) {
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.tokens = tokens;
    }

    List<UserView> list(CurrentUser admin, String query, String role, int limit, int offset) {
        return users.list(admin.scope(), query, role, limit, offset);
    }

    UserView get(CurrentUser admin, long id) {
        return users.find(id, admin.scope()).orElseThrow(() -> new NotFoundException("user", id));
    }

    @Transactional
    UserView create(CurrentUser admin, UserRequests.CreateUser request) {
        if (users.usernameTaken(request.username())) {
            throw new ConflictException("The user name '" + request.username() + "' is taken.");
        }
        PasswordPolicy.check("password", request.password(), request.username());
        checkGrants(admin, request.scopeCodes(), request.departmentCode());
        long id = users.insert(request, passwords.encode(request.password()));
        users.replaceRolesAndScopes(id, request.roles(), request.scopeCodes());
        UserView created = users.find(id).orElseThrow();
        audit.record("USER_CREATED", "app_user", id, null, null, created);
        return created;
    }

    @Transactional
    UserView update(CurrentUser admin, long id, UserRequests.UpdateUser request) {
        UserView before = get(admin, id);
        if (before.id() == admin.id() && (!request.enabled() || !request.roles().contains("ADMIN"))) {
            throw new ConflictException("You cannot disable yourself or remove your own ADMIN role; ask another admin.");
        }
        checkGrants(admin, request.scopeCodes(), request.departmentCode());
        users.update(id, request);
        tokens.accountChanged(id);
        users.replaceRolesAndScopes(id, request.roles(), request.scopeCodes());
        UserView after = users.find(id).orElseThrow();
        audit.record(before.enabled() && !after.enabled() ? "USER_DISABLED" : "USER_UPDATED", "app_user", id, null, before, after);
        return after;
    }

    @Transactional
    void resetPassword(CurrentUser admin, long id, String newPassword) {
        UserView user = get(admin, id);
        PasswordPolicy.check("newPassword", newPassword, user.username());
        users.setPassword(id, passwords.encode(newPassword), true);
        tokens.accountChanged(id);
        audit.record("PASSWORD_RESET", "app_user", id, null, null, java.util.Map.of("mustChangePassword", true));
    }

    private void checkGrants(CurrentUser admin, List<String> scopeCodes, String departmentCode) {
        for (String code : scopeCodes) {
            if (!users.areaExists(code)) {
                throw new InvalidParameterException("scopeCodes", "no area has the code " + code);
            }
            if (!admin.scope().covers(code)) {
                throw new InvalidParameterException("scopeCodes", "area " + code + " lies outside your own scope");
            }
        }
        if (departmentCode != null && !departmentCode.isBlank() && !users.departmentExists(departmentCode.strip())) {
            throw new InvalidParameterException("departmentCode", "no department has the code " + departmentCode);
        }
    }
}

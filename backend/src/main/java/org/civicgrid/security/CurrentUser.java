package org.civicgrid.security;

import java.util.Set;

/** The caller of a request as the database says now (roles and scope are re-read on every request). */
public record CurrentUser(long id, String username, String displayName, Set<Role> roles, CallerScope scope, String clientAddress,
                          boolean mustChangePassword) {

    public CurrentUser {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}

package org.civicgrid.users;

import java.time.Instant;
import java.util.List;

/** A user as admins and the user themself see it; never carries the password hash. */
record UserView(long id, String username, String displayName, String phone, boolean enabled, List<String> roles,
                List<String> scopeCodes, String departmentCode, boolean locked, boolean mustChangePassword, Instant createdAt) {
}

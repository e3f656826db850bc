package org.civicgrid.map;

import java.util.List;

import org.civicgrid.security.CurrentUser;

/** Who is signed in, for the app bar. */
record UserSummary(String username, String displayName, List<String> roles, boolean mustChangePassword) {

    static UserSummary of(CurrentUser user) {
        return new UserSummary(user.username(), user.displayName(), user.roles().stream().map(Enum::name).sorted().toList(),
                user.mustChangePassword());
    }
}

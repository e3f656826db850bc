package org.civicgrid.users;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the user API; each field is checked and a failure names the field. */
final class UserRequests {

    static final String USERNAME = "[A-Za-z0-9_.@-]{2,64}";
    static final String AREA_CODE = "\\d{6}(\\d{3}){0,3}";
    static final String ROLE = "ADMIN|LEADER|PLANNER|GRID_MANAGER|INSPECTOR|HANDLER";

    private UserRequests() {
    }

    record CreateUser(@NotBlank @Pattern(regexp = USERNAME, message = "use 2–64 letters, digits or _ . @ -") String username,
                      @NotBlank @Size(max = 100) String displayName,
                      @Size(max = 32) @Pattern(regexp = "[0-9+() -]*", message = "digits, spaces, + - ( ) only") String phone,
                      @NotBlank String password,
                      @NotNull @Size(min = 1, message = "at least one role") List<@Pattern(regexp = ROLE) String> roles,
                      @NotNull List<@Pattern(regexp = AREA_CODE, message = "an area code has 6, 9, 12 or 15 digits") String> scopeCodes,
                      @Size(max = 40) String departmentCode) {
    }

    record UpdateUser(@NotBlank @Size(max = 100) String displayName,
                      @Size(max = 32) @Pattern(regexp = "[0-9+() -]*", message = "digits, spaces, + - ( ) only") String phone,
                      boolean enabled,
                      @NotNull @Size(min = 1, message = "at least one role") List<@Pattern(regexp = ROLE) String> roles,
                      @NotNull List<@Pattern(regexp = AREA_CODE, message = "an area code has 6, 9, 12 or 15 digits") String> scopeCodes,
                      @Size(max = 40) String departmentCode) {
    }

    record ResetPassword(@NotBlank String newPassword) {
    }

    record ChangePassword(@NotBlank String currentPassword, @NotBlank String newPassword) {
    }

    record IssueToken(@NotBlank @Size(max = 100) String name, Integer expiresInDays) {
    }
}

package org.civicgrid.users;

import java.util.List;

import jakarta.validation.Valid;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin API for users (ADMIN role only, enforced in SecurityConfiguration). */
@RestController
@RequestMapping("/api/admin/users")
class UserAdminController {

    private static final int MAX_PAGE = 500;

    private final UserAdministration administration;

    UserAdminController(UserAdministration administration) {
        this.administration = administration;
    }

    @GetMapping
    List<UserView> list(CurrentUser admin, @RequestParam(required = false) String q, @RequestParam(required = false) String role,
                        @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") int offset) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidParameterException("limit", "must be 1.." + MAX_PAGE);
        }
        if (offset < 0) {
            throw new InvalidParameterException("offset", "must not be negative");
        }
        return administration.list(admin, q, role, limit, offset);
    }

    @GetMapping("/{id}")
    UserView get(CurrentUser admin, @PathVariable long id) {
        return administration.get(admin, id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    UserView create(CurrentUser admin, @Valid @RequestBody UserRequests.CreateUser request) {
        return administration.create(admin, request);
    }

    @PutMapping("/{id}")
    UserView update(CurrentUser admin, @PathVariable long id, @Valid @RequestBody UserRequests.UpdateUser request) {
        return administration.update(admin, id, request);
    }

    @PostMapping("/{id}/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void resetPassword(CurrentUser admin, @PathVariable long id, @Valid @RequestBody UserRequests.ResetPassword request) {
        administration.resetPassword(admin, id, request.newPassword());
    }
}

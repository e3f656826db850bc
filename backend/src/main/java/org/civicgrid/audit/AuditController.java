package org.civicgrid.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log for admins and leaders (roles enforced in SecurityConfiguration), filtered by scope in SQL. */
@RestController
class AuditController {

    private static final int MAX_PAGE = 500;

    private final AuditRepository audit;

    AuditController(AuditRepository audit) {
        this.audit = audit;
    }

    @GetMapping("/api/audit")
    List<AuditEntry> search(CurrentUser caller,
                            @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                            @RequestParam(required = false) String objectType, @RequestParam(required = false) String objectId,
                            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                            @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") int offset) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidParameterException("limit", "must be 1.." + MAX_PAGE);
        }
        if (offset < 0) {
            throw new InvalidParameterException("offset", "must not be negative");
        }
        AuditRepository.Filter filter = new AuditRepository.Filter(blank(actor), blank(action), blank(objectType), blank(objectId),
                instant("from", from), instant("to", to), limit, offset);
        return audit.search(caller.scope().codePatterns(), caller.has(Role.ADMIN), filter);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant instant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(parameter, "'" + value + "' is not an ISO-8601 instant such as 2026-11-30T08:00:00Z");
        }
    }
}

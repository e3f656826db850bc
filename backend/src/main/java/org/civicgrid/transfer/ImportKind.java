package org.civicgrid.transfer;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.civicgrid.web.InvalidParameterException;

/**
 * What a file imports. Points are planning data (ADMIN, PLANNER); problems are case records brought over from
 * other systems or paper ledgers (ADMIN, LEADER, INSPECTOR — the roles that may report and accept problems
 * for their area; grid managers and handlers work on single problems, not on ledgers).
 */
enum ImportKind {
    POINTS(Set.of(Role.ADMIN, Role.PLANNER),
            List.of("external_id", "type_code", "name", "address", "responsible_unit", "lon", "lat", "wkt")),
    PROBLEMS(Set.of(Role.ADMIN, Role.LEADER, Role.INSPECTOR),
            List.of("external_id", "category_code", "description", "reported_at", "lon", "lat", "wkt", "point_external_id", "status",
                    "closed_at"));

    final Set<Role> roles;
    /** The columns a CSV may have (GeoJSON/GeoPackage: the same names as properties, the location as geometry). */
    final List<String> columns;

    ImportKind(Set<Role> roles, List<String> columns) {
        this.roles = roles;
        this.columns = columns;
    }

    static ImportKind parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidParameterException("kind", "is required: points or problems");
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "points" -> POINTS;
            case "problems" -> PROBLEMS;
            default -> throw new InvalidParameterException("kind", "'" + text + "' is not points or problems");
        };
    }

    boolean allows(CurrentUser caller) {
        return roles.stream().anyMatch(caller::has);
    }

    String codeColumn() {
        return this == POINTS ? "type_code" : "category_code";
    }
}

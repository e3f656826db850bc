package org.civicgrid.problems;

import java.util.Arrays;
import java.util.Set;

import org.civicgrid.security.Role;

/** The worklists of domain.md §5, each for the roles that work it, sorted by deadline. */
enum Worklist {
    MY_GRIDS("my-grids", Set.of(Role.GRID_MANAGER), "DISPATCHED,IN_PROGRESS,RETURNED", false, true, false),
    MY_DEPARTMENT("my-department", Set.of(Role.HANDLER), "DISPATCHED,IN_PROGRESS,RETURNED", true, false, false),
    WAITING_CHECK("waiting-check", Set.of(Role.INSPECTOR), "SUBMITTED", false, false, false),
    TO_ACCEPT("to-accept", Set.of(Role.INSPECTOR, Role.LEADER, Role.ADMIN), "REPORTED", false, false, false),
    TO_DISPATCH("to-dispatch", Set.of(Role.INSPECTOR, Role.LEADER, Role.ADMIN), "ACCEPTED", false, false, false),
    RED_AND_URGED("red-and-urged", Set.of(Role.LEADER), "ACCEPTED,DISPATCHED,IN_PROGRESS,SUBMITTED,RETURNED", false, false, true);

    final String pathName;
    final Set<Role> roles;
    final String statuses;
    final boolean departmentOnly;
    final boolean gridOnly;
    final boolean attentionOnly;

    Worklist(String pathName, Set<Role> roles, String statuses, boolean departmentOnly, boolean gridOnly, boolean attentionOnly) {
        this.pathName = pathName;
        this.roles = roles;
        this.statuses = statuses;
        this.departmentOnly = departmentOnly;
        this.gridOnly = gridOnly;
        this.attentionOnly = attentionOnly;
    }

    static Worklist fromPath(String name) {
        return Arrays.stream(values()).filter(w -> w.pathName.equals(name)).findFirst().orElse(null);
    }
}

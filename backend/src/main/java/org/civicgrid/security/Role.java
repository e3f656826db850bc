package org.civicgrid.security;

/** The roles of domain.md §1; a user may hold several. */
public enum Role {
    ADMIN, LEADER, PLANNER, GRID_MANAGER, INSPECTOR, HANDLER;

    public String authority() {
        return "ROLE_" + name();
    }
}

package org.civicgrid.problems;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;

/** Who may make which move on a problem in its current state (the table itself is {@link LoopAction}). */
final class LoopRules {

    private LoopRules() {
    }

    static List<LoopAction> allowed(CurrentUser caller, ProblemState state) {
        return Arrays.stream(LoopAction.values())
                .filter(action -> action.from().contains(state.status))
                .filter(action -> mayAct(caller, action.actor(), state))
                .filter(action -> fitsExtensionAndSuspension(action, state))
                .toList();
    }

    private static boolean mayAct(CurrentUser caller, LoopAction.Actor actor, ProblemState state) {
        return switch (actor) {
            case SUPERVISOR -> caller.has(Role.INSPECTOR) || caller.has(Role.LEADER) || caller.has(Role.ADMIN);
            case ASSIGNEE -> state.handlerDepartmentCode != null
                    ? caller.has(Role.HANDLER) && caller.scope().departmentCode().equals(Optional.of(state.handlerDepartmentCode))
                    : caller.has(Role.GRID_MANAGER);
            case INSPECTOR -> caller.has(Role.INSPECTOR);
            case LEADER -> caller.has(Role.LEADER);
        };
    }

    private static boolean fitsExtensionAndSuspension(LoopAction action, ProblemState state) {
        return switch (action) {
            case REQUEST_EXTENSION -> !state.extensionPending;
            case APPROVE_EXTENSION, DENY_EXTENSION -> state.extensionPending;
            case RESUME -> state.suspendedFrom != null;
            default -> true;
        };
    }
}

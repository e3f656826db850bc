package org.civicgrid.problems;

import static org.civicgrid.problems.ProblemStatus.ACCEPTED;
import static org.civicgrid.problems.ProblemStatus.CLOSED;
import static org.civicgrid.problems.ProblemStatus.DISPATCHED;
import static org.civicgrid.problems.ProblemStatus.IN_PROGRESS;
import static org.civicgrid.problems.ProblemStatus.REJECTED;
import static org.civicgrid.problems.ProblemStatus.REPORTED;
import static org.civicgrid.problems.ProblemStatus.RETURNED;
import static org.civicgrid.problems.ProblemStatus.SUBMITTED;
import static org.civicgrid.problems.ProblemStatus.SUSPENDED;

import java.util.EnumSet;
import java.util.Set;

/**
 * The moves of the loop: from which states each may be made, into which state it leads (null: the
 * state stays), and which kind of actor makes it. The one table both the service and the tests read.
 */
enum LoopAction {
    ACCEPT(EnumSet.of(REPORTED), ACCEPTED, Actor.SUPERVISOR),
    REJECT(EnumSet.of(REPORTED), REJECTED, Actor.SUPERVISOR),
    DISPATCH(EnumSet.of(ACCEPTED), DISPATCHED, Actor.SUPERVISOR),
    START(EnumSet.of(DISPATCHED, RETURNED), IN_PROGRESS, Actor.ASSIGNEE),
    SUBMIT(EnumSet.of(IN_PROGRESS, RETURNED), SUBMITTED, Actor.ASSIGNEE),
    CLOSE(EnumSet.of(SUBMITTED), CLOSED, Actor.INSPECTOR),
    RETURN(EnumSet.of(SUBMITTED), RETURNED, Actor.INSPECTOR),
    REQUEST_EXTENSION(EnumSet.of(DISPATCHED, IN_PROGRESS, RETURNED), null, Actor.ASSIGNEE),
    APPROVE_EXTENSION(EnumSet.of(DISPATCHED, IN_PROGRESS, RETURNED), null, Actor.LEADER),
    DENY_EXTENSION(EnumSet.of(DISPATCHED, IN_PROGRESS, RETURNED), null, Actor.LEADER),
    SUSPEND(EnumSet.of(ACCEPTED, DISPATCHED, IN_PROGRESS, RETURNED), SUSPENDED, Actor.LEADER),
    RESUME(EnumSet.of(SUSPENDED), null, Actor.LEADER),
    REOPEN(EnumSet.of(CLOSED, REJECTED), null, Actor.SUPERVISOR),
    URGE(EnumSet.of(ACCEPTED, DISPATCHED, IN_PROGRESS, SUBMITTED, RETURNED), null, Actor.LEADER),
    SUPERVISE(EnumSet.of(ACCEPTED, DISPATCHED, IN_PROGRESS, SUBMITTED, RETURNED), null, Actor.LEADER);

    /**
     * SUPERVISOR: inspectors, leaders and admins of the area (立案, 派遣, reopen); ASSIGNEE: the grid
     * manager of the problem's grid, or the handler department it was dispatched to; INSPECTOR: 核查;
     * LEADER: extensions, suspension, 催办 and 督办.
     */
    enum Actor { SUPERVISOR, ASSIGNEE, INSPECTOR, LEADER }

    private final Set<ProblemStatus> from;
    private final ProblemStatus to;
    private final Actor actor;

    LoopAction(Set<ProblemStatus> from, ProblemStatus to, Actor actor) {
        this.from = from;
        this.to = to;
        this.actor = actor;
    }

    Set<ProblemStatus> from() {
        return from;
    }

    /** The state after the move; moves that keep the state, or that restore an earlier one, answer null. */
    ProblemStatus to() {
        return to;
    }

    Actor actor() {
        return actor;
    }

    String pathName() {
        return name().toLowerCase().replace('_', '-');
    }

    static LoopAction fromPath(String name) {
        for (LoopAction action : values()) {
            if (action.pathName().equals(name)) {
                return action;
            }
        }
        return null;
    }
}

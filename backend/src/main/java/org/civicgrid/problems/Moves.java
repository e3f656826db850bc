package org.civicgrid.problems;

import java.time.Instant;
import java.util.function.LongFunction;

import org.civicgrid.web.InvalidParameterException;

/**
 * What each move does to a problem's state: a pure function of the state before, the request and
 * the time, so that the whole loop can be read in one place.
 */
final class Moves {

    /** What a move may need to know beyond the problem itself. */
    record Context(Instant now, Deadlines deadlines, LongFunction<Long> firstGridOwner) {
    }

    private static final double MAX_EXTENSION_HOURS = 720;

    private Moves() {
    }

    static ProblemState apply(ProblemState before, LoopAction action, ActionRequest request, Context context) {
        ProblemState s = before.copy();
        Instant now = context.now();
        switch (action) {
            case ACCEPT -> {
                s.status = ProblemStatus.ACCEPTED;
                s.acceptedAt = now;
                Deadlines.Window window = context.deadlines().from(now, Deadlines.hours(s.timeLimitHours));
                s.warningAt = window.warningAt();
                s.deadlineAt = window.deadlineAt();
            }
            case REJECT -> {
                String reason = request.reason() == null ? "" : request.reason();
                if (!reason.equals("INVALID") && !reason.equals("DUPLICATE")) {
                    throw new InvalidParameterException("reason", "must be INVALID (不予立案) or DUPLICATE (重复)");
                }
                if (reason.equals("DUPLICATE") && request.duplicateOfId() == null) {
                    throw new InvalidParameterException("duplicateOfId", "names the original problem of a duplicate");
                }
                s.status = ProblemStatus.REJECTED;
                s.rejectionReason = reason;
                s.duplicateOfId = reason.equals("DUPLICATE") ? request.duplicateOfId() : null;
            }
            case DISPATCH -> {
                s.status = ProblemStatus.DISPATCHED;
                s.dispatchedAt = now;
                if (request.departmentCode() != null && !request.departmentCode().isBlank()) {
                    s.handlerDepartmentCode = request.departmentCode().strip();
                    s.assigneeUserId = null;
                } else {
                    s.handlerDepartmentCode = null;
                    s.assigneeUserId = context.firstGridOwner().apply(s.gridId);
                }
            }
            case START -> s.status = ProblemStatus.IN_PROGRESS;
            case SUBMIT -> {
                if (request.photos().isEmpty()) {
                    throw new InvalidParameterException("photoIds", "an after-photo (整改后照片) is required to submit the rectification");
                }
                s.status = ProblemStatus.SUBMITTED;
                s.submittedAt = now;
            }
            case CLOSE -> {
                s.status = ProblemStatus.CLOSED;
                s.closedAt = now;
            }
            case RETURN -> {
                s.status = ProblemStatus.RETURNED;
                s.reworkCount++;
                s.submittedAt = null;
            }
            case REQUEST_EXTENSION -> {
                Double hours = request.extensionHours();
                if (hours == null || !(hours > 0) || hours > MAX_EXTENSION_HOURS) {
                    throw new InvalidParameterException("extensionHours", "must be more than 0 and at most " + MAX_EXTENSION_HOURS + " working hours");
                }
                s.extensionPending = true;
                s.extensionHours = hours;
            }
            case APPROVE_EXTENSION -> {
                Deadlines.Window window = context.deadlines().extend(s.deadlineAt, Deadlines.hours(s.extensionHours), s.acceptedAt);
                s.warningAt = window.warningAt();
                s.deadlineAt = window.deadlineAt();
                s.extensionPending = false;
            }
            case DENY_EXTENSION -> {
                s.extensionPending = false;
                s.extensionHours = null;
            }
            case SUSPEND -> {
                s.suspendedFrom = s.status;
                s.status = ProblemStatus.SUSPENDED;
            }
            case RESUME -> {
                s.status = s.suspendedFrom;
                s.suspendedFrom = null;
            }
            case REOPEN -> {
                if (s.status == ProblemStatus.REJECTED) {
                    s.status = ProblemStatus.REPORTED;
                    s.rejectionReason = null;
                    s.duplicateOfId = null;
                } else {
                    s.status = ProblemStatus.DISPATCHED;
                    s.closedAt = null;
                    s.submittedAt = null;
                }
            }
            case URGE -> {
                s.urgeCount++;
                s.lastUrgedAt = now;
            }
            case SUPERVISE -> s.supervised = true;
        }
        return s;
    }
}

package org.civicgrid.problems;

import java.time.Instant;

/**
 * The mutable part of a problem, read under a row lock, changed by one move of the loop and written
 * back whole. Plain fields: it lives only inside one transaction.
 */
final class ProblemState {

    long id;
    long version;
    long gridId;
    String gridCode;
    double timeLimitHours;

    ProblemStatus status;
    Instant acceptedAt;
    Instant dispatchedAt;
    Instant submittedAt;
    Instant closedAt;
    Instant warningAt;
    Instant deadlineAt;
    String handlerDepartmentCode;
    Long assigneeUserId;
    int reworkCount;
    int urgeCount;
    Instant lastUrgedAt;
    boolean supervised;
    boolean extensionPending;
    Double extensionHours;
    ProblemStatus suspendedFrom;
    String rejectionReason;
    Long duplicateOfId;

    ProblemState copy() {
        ProblemState c = new ProblemState();
        c.id = id;
        c.version = version;
        c.gridId = gridId;
        c.gridCode = gridCode;
        c.timeLimitHours = timeLimitHours;
        c.status = status;
        c.acceptedAt = acceptedAt;
        c.dispatchedAt = dispatchedAt;
        c.submittedAt = submittedAt;
        c.closedAt = closedAt;
        c.warningAt = warningAt;
        c.deadlineAt = deadlineAt;
        c.handlerDepartmentCode = handlerDepartmentCode;
        c.assigneeUserId = assigneeUserId;
        c.reworkCount = reworkCount;
        c.urgeCount = urgeCount;
        c.lastUrgedAt = lastUrgedAt;
        c.supervised = supervised;
        c.extensionPending = extensionPending;
        c.extensionHours = extensionHours;
        c.suspendedFrom = suspendedFrom;
        c.rejectionReason = rejectionReason;
        c.duplicateOfId = duplicateOfId;
        return c;
    }

    /** For the audit log: the fields a reviewer compares before and after. */
    java.util.Map<String, Object> auditView() {
        java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("status", status);
        view.put("version", version);
        view.put("deadlineAt", deadlineAt);
        view.put("handlerDepartmentCode", handlerDepartmentCode);
        view.put("assigneeUserId", assigneeUserId);
        view.put("reworkCount", reworkCount);
        view.put("urgeCount", urgeCount);
        view.put("supervised", supervised);
        view.put("extensionPending", extensionPending);
        return view;
    }
}

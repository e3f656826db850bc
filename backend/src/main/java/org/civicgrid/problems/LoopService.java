package org.civicgrid.problems;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.photos.PhotoStore;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.ConflictException;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.ObjectMapper;

/**
 * Makes one move of the loop on one problem, under a row lock: the caller must see the problem, know
 * its current version, and be allowed this move in this state; otherwise 404, or 409 naming the
 * current state and the moves that are allowed. A retried request with the same idempotency key is
 * recognised and answered with the current state instead of being applied twice.
 */
@Service
class LoopService {

    private final ProblemRepository problems;
    private final ProblemDetails details;
    private final Deadlines deadlines;
    private final PhotoStore photos;
    private final AuditTrail audit;
    private final ObjectMapper json;

    LoopService(ProblemRepository problems, ProblemDetails details, Deadlines deadlines, PhotoStore photos, AuditTrail audit, ObjectMapper json) {
        this.problems = problems;
        this.details = details;
        this.deadlines = deadlines;
        this.photos = photos;
        this.audit = audit;
        this.json = json;
    }

    @Transactional
    public ProblemViews.Detail apply(CurrentUser caller, long problemId, LoopAction action, ActionRequest request, String idempotencyKey) {
        ProblemState before = problems.lockState(problemId, caller.scope()).orElseThrow(() -> new NotFoundException("problem", problemId));
        if (idempotencyKey != null && problems.eventExists(problemId, idempotencyKey)) {
            return details.of(problemId, caller);
        }
        List<LoopAction> allowed = LoopRules.allowed(caller, before);
        if (request.version() == null) {
            throw new InvalidParameterException("version", "is required: send the version of the problem you are acting on");
        }
        if (request.version() != before.version) {
            throw conflict("The problem changed since you loaded it (version " + request.version() + ", now " + before.version + ").",
                    before, allowed);
        }
        if (!allowed.contains(action)) {
            throw conflict("'" + action.pathName() + "' is not allowed on a " + before.status + " problem for you; allowed: "
                    + (allowed.isEmpty() ? "none" : String.join(", ", allowed.stream().map(LoopAction::pathName).toList())) + ".",
                    before, allowed);
        }
        if (action == LoopAction.DISPATCH && request.departmentCode() != null && !request.departmentCode().isBlank()
                && !problems.departmentExists(request.departmentCode().strip())) {
            throw new InvalidParameterException("departmentCode", "no department has the code " + request.departmentCode());
        }
        if (action == LoopAction.REJECT && request.duplicateOfId() != null && !problems.existsInScope(request.duplicateOfId(), caller.scope())) {
            throw new InvalidParameterException("duplicateOfId", "no problem " + request.duplicateOfId() + " in your area");
        }
        List<UUID> attached = photos.requireOwn(request.photos(), caller, "photoIds");
        ProblemState after = Moves.apply(before, action, request,
                new Moves.Context(Instant.now(), deadlines, gridId -> problems.firstGridOwner(gridId).orElse(null)));
        problems.write(after);
        long eventId = problems.insertEvent(problemId, caller.id(), action.name(), before.status,
                after.status == before.status ? null : after.status, request.note(), eventDetails(action, request), idempotencyKey);
        problems.attachPhotos(eventId, attached, action == LoopAction.SUBMIT ? "AFTER" : "OTHER");
        audit.record("PROBLEM_" + action.name(), "problem", problemId, before.gridCode, before.auditView(), after.auditView());
        return details.of(problemId, caller);
    }

    private static ConflictException conflict(String message, ProblemState state, List<LoopAction> allowed) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("currentStatus", state.status.name());
        properties.put("version", state.version);
        properties.put("allowedActions", allowed.stream().map(LoopAction::pathName).toList());
        return new ConflictException(message, properties);
    }

    private String eventDetails(LoopAction action, ActionRequest request) {
        Map<String, Object> details = new LinkedHashMap<>();
        switch (action) {
            case DISPATCH -> details.put("departmentCode", request.departmentCode());
            case REJECT -> {
                details.put("reason", request.reason());
                details.put("duplicateOfId", request.duplicateOfId());
            }
            case REQUEST_EXTENSION -> details.put("extensionHours", request.extensionHours());
            default -> {
                return null;
            }
        }
        return json.writeValueAsString(details);
    }
}

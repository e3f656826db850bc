package org.civicgrid.problems;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import org.civicgrid.photos.PhotoStore;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.ConflictException;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ProblemController {

    /** The moves that may be made on many problems at once from a worklist selection. */
    private static final Set<LoopAction> BULK_ACTIONS = Set.of(LoopAction.DISPATCH, LoopAction.URGE);

    private final LoopService loop;
    private final ProblemDetails details;
    private final ProblemIntake intake;
    private final PhotoStore photos;

    ProblemController(LoopService loop, ProblemDetails details, ProblemIntake intake, PhotoStore photos) {
        this.loop = loop;
        this.details = details;
        this.intake = intake;
        this.photos = photos;
    }

    @GetMapping("/api/problems/{id}")
    ProblemViews.Detail problem(CurrentUser caller, @PathVariable long id) {
        return details.of(id, caller);
    }

    /** What a reporter gets back: the new problem's id (a handler may not see it until it is dispatched to them). */
    record ReportReceipt(long id, String status) {
    }

    /**
     * Report a problem at a place on the map; it waits for 立案 (accept) by an inspector or leader. Sent again with the
     * same Idempotency-Key, the answer is the receipt of the problem the first request created.
     */
    @PostMapping("/api/problems")
    @ResponseStatus(HttpStatus.CREATED)
    ReportReceipt report(CurrentUser caller, @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                         @RequestBody ProblemIntake.Report report) {
        checkIdempotencyKey(idempotencyKey);
        List<UUID> attached = photos.requireOwn(report.photoIds(), caller, "photoIds");
        long id;
        try {
            id = intake.report(caller, report, attached, idempotencyKey);
        } catch (DuplicateKeyException e) {
            if (idempotencyKey == null) {
                throw e;
            }
            id = intake.reportedWithKey(caller, idempotencyKey).orElseThrow(() -> e);
        }
        return new ReportReceipt(id, ProblemStatus.REPORTED.name());
    }

    private static void checkIdempotencyKey(String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 100)) {
            throw new InvalidParameterException("Idempotency-Key", "must be 1–100 characters");
        }
    }

    /** One move of the loop, e.g. POST /api/problems/42/actions/dispatch {"version": 3}; send an Idempotency-Key to retry safely. */
    @PostMapping("/api/problems/{id}/actions/{action}")
    ProblemViews.Detail act(CurrentUser caller, @PathVariable long id, @PathVariable String action,
                            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                            @Valid @RequestBody ActionRequest request) {
        checkIdempotencyKey(idempotencyKey);
        return loop.apply(caller, id, parseAction(action), request, idempotencyKey);
    }

    record BulkRequest(@NotEmpty @Size(max = 500) List<Long> ids, @Size(max = 2000) String note, String departmentCode) {
    }

    /** Dispatch or urge a selection: each problem is moved on its own; the answer lists what failed and why. */
    @PostMapping("/api/problems/bulk/{action}")
    ProblemViews.BulkResult bulk(CurrentUser caller, @PathVariable String action, @Valid @RequestBody BulkRequest request) {
        LoopAction move = parseAction(action);
        if (!BULK_ACTIONS.contains(move)) {
            throw new InvalidParameterException("action", "only dispatch and urge can be applied to a selection");
        }
        List<Long> succeeded = new ArrayList<>();
        List<ProblemViews.BulkFailure> failed = new ArrayList<>();
        for (Long id : request.ids()) {
            try {
                long version = details.of(id, caller).version();
                loop.apply(caller, id, move, new ActionRequest(version, request.note(), List.of(), request.departmentCode(), null, null, null), null);
                succeeded.add(id);
            } catch (NotFoundException e) {
                failed.add(new ProblemViews.BulkFailure(id, 404, e.getMessage()));
            } catch (ConflictException e) {
                failed.add(new ProblemViews.BulkFailure(id, 409, e.getMessage()));
            } catch (InvalidParameterException e) {
                failed.add(new ProblemViews.BulkFailure(id, 400, e.parameter() + ": " + e.getMessage()));
            }
        }
        return new ProblemViews.BulkResult(succeeded, failed);
    }

    private static LoopAction parseAction(String name) {
        LoopAction action = LoopAction.fromPath(name);
        if (action == null) {
            List<String> known = java.util.Arrays.stream(LoopAction.values()).map(LoopAction::pathName).toList();
            throw new InvalidParameterException("action", "'" + name + "' is not a move; moves: " + String.join(", ", known));
        }
        return action;
    }
}

package org.civicgrid.inspections;

import java.util.List;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class InspectionController {

    private static final int MAX_DAYS = 3650;
    private static final int MAX_ITEMS = 1000;

    private final InspectionService inspections;
    private final InspectionRepository repository;
    private final ChecklistRepository checklists;

    InspectionController(InspectionService inspections, InspectionRepository repository, ChecklistRepository checklists) {
        this.inspections = inspections;
        this.repository = repository;
        this.checklists = checklists;
    }

    record StartRequest(Long pointId, Double lon, Double lat) {
    }

    record ResultsRequest(Long version, List<InspectionService.ResultInput> results) {
    }

    record SubmitRequest(Long version) {
    }

    /** Start an inspection at a point; lon/lat is where the inspector's phone says they are (optional). */
    @PostMapping("/api/inspections")
    @ResponseStatus(HttpStatus.CREATED)
    InspectionViews.Inspection start(CurrentUser caller, @RequestBody StartRequest request) {
        if (request.pointId() == null) {
            throw new InvalidParameterException("pointId", "is required");
        }
        return inspections.start(caller, request.pointId(), request.lon(), request.lat());
    }

    @GetMapping("/api/inspections/{id}")
    InspectionViews.Inspection inspection(CurrentUser caller, @PathVariable long id) {
        return inspections.get(caller, id);
    }

    @PutMapping("/api/inspections/{id}/results")
    InspectionViews.Inspection saveResults(CurrentUser caller, @PathVariable long id, @RequestBody ResultsRequest request) {
        if (request.results() == null || request.results().isEmpty()) {
            throw new InvalidParameterException("results", "give at least one item's outcome");
        }
        return inspections.saveResults(caller, id, request.version(), request.results());
    }

    @PostMapping("/api/inspections/{id}/submit")
    InspectionViews.Inspection submit(CurrentUser caller, @PathVariable long id, @RequestBody SubmitRequest request) {
        return inspections.submit(caller, id, request.version());
    }

    /** Points of the caller's area not inspected in the last {@code days} days (never inspected first). */
    @GetMapping("/api/inspections/coverage")
    List<InspectionViews.Uninspected> coverage(CurrentUser caller, @RequestParam(defaultValue = "7") int days,
                                               @RequestParam(defaultValue = "200") int limit) {
        if (days < 1 || days > MAX_DAYS) {
            throw new InvalidParameterException("days", "must be 1.." + MAX_DAYS);
        }
        if (limit < 1 || limit > MAX_ITEMS) {
            throw new InvalidParameterException("limit", "must be 1.." + MAX_ITEMS);
        }
        return inspections.uninspected(caller, days, limit);
    }

    /** The active checklist of a point type (测评标准). */
    @GetMapping("/api/checklists/{pointTypeCode}")
    List<InspectionViews.ChecklistItem> checklist(@PathVariable String pointTypeCode) {
        if (!checklists.pointTypeExists(pointTypeCode)) {
            throw new org.civicgrid.web.NotFoundException("point type", pointTypeCode);
        }
        return repository.checklist(pointTypeCode, false);
    }
}

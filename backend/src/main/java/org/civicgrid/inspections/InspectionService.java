package org.civicgrid.inspections;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.photos.PhotoStore;
import org.civicgrid.problems.ProblemIntake;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.civicgrid.web.ConflictException;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * 督查: an inspector checks a point's checklist item by item (pass / fail / not applicable, with
 * notes and photos); on submit each fail opens a problem of the item's category with its photos as
 * before-photos, and the point's score rate for this inspection is kept.
 */
@Service
class InspectionService {

    static final Set<String> OUTCOMES = Set.of("PASS", "FAIL", "NA");

    record ResultInput(String itemCode, String outcome, String note, List<UUID> photoIds) {
    }

    private final InspectionRepository inspections;
    private final ProblemIntake intake;
    private final PhotoStore photos;
    private final AuditTrail audit;

    InspectionService(InspectionRepository inspections, ProblemIntake intake, PhotoStore photos, AuditTrail audit) {
        this.inspections = inspections;
        this.intake = intake;
        this.photos = photos;
        this.audit = audit;
    }

    @Transactional
    InspectionViews.Inspection start(CurrentUser caller, long pointId, Double lon, Double lat) {
        requireInspector(caller);
        InspectionRepository.PointRow point = inspections.point(pointId, caller.scope())
                .orElseThrow(() -> new NotFoundException("measurement point", pointId));
        if ((lon == null) != (lat == null) || (lon != null && (!Double.isFinite(lon) || !Double.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90))) {
            throw new InvalidParameterException("lon/lat", "give both in WGS84 degrees, or neither");
        }
        long id = inspections.insert(point.id(), point.gridId(), caller.id(), lon, lat);
        audit.record("INSPECTION_STARTED", "inspection", id, null, null, Map.of("pointId", pointId));
        return get(caller, id);
    }

    InspectionViews.Inspection get(CurrentUser caller, long id) {
        InspectionRepository.Header h = inspections.header(id, caller.scope()).orElseThrow(() -> new NotFoundException("inspection", id));
        return new InspectionViews.Inspection(h.id(), h.pointId(), h.pointName(), h.typeCode(), h.gridCode(), h.status(), h.inspector(),
                h.startedAt(), h.submittedAt(), h.passed(), h.failed(), h.na(), h.scoreRate(), h.version(), inspections.items(id, h.typeCode()));
    }

    @Transactional
    InspectionViews.Inspection saveResults(CurrentUser caller, long id, Long version, List<ResultInput> results) {
        InspectionRepository.Header h = lockOpenOwn(caller, id, version);
        Set<String> itemCodes = inspections.items(id, h.typeCode()).stream().map(InspectionViews.Item::code).collect(Collectors.toSet());
        for (int i = 0; i < results.size(); i++) {
            ResultInput r = results.get(i);
            if (r.itemCode() == null || !itemCodes.contains(r.itemCode())) {
                throw new InvalidParameterException("results[" + i + "].itemCode", "'" + r.itemCode() + "' is not an item of this point's checklist");
            }
            if (r.outcome() == null || !OUTCOMES.contains(r.outcome())) {
                throw new InvalidParameterException("results[" + i + "].outcome", "must be PASS, FAIL or NA");
            }
            if (r.note() != null && r.note().length() > 2000) {
                throw new InvalidParameterException("results[" + i + "].note", "must have at most 2000 characters");
            }
            List<UUID> attached = photos.requireOwn(r.photoIds(), caller, "results[" + i + "].photoIds");
            inspections.saveResult(id, r.itemCode(), r.outcome(), r.note() == null || r.note().isBlank() ? null : r.note().strip(), attached);
        }
        inspections.bumpVersion(id, h.version());
        audit.record("INSPECTION_RESULTS_SAVED", "inspection", id, h.gridCode(), null, Map.of("items", results.size()));
        return get(caller, id);
    }

    @Transactional
    InspectionViews.Inspection submit(CurrentUser caller, long id, Long version) {
        InspectionRepository.Header h = lockOpenOwn(caller, id, version);
        List<InspectionViews.Item> items = inspections.items(id, h.typeCode());
        List<String> unanswered = items.stream().filter(i -> i.outcome() == null).map(InspectionViews.Item::code).toList();
        if (!unanswered.isEmpty()) {
            throw new InvalidParameterException("results", "mark every item before submitting; unanswered: " + String.join(", ", unanswered));
        }
        for (InspectionViews.Item item : items) {
            if (item.outcome().equals("FAIL") && item.photoIds().isEmpty()) {
                throw new InvalidParameterException("results", "item " + item.code() + " failed: attach a photo of the problem (整改前照片)");
            }
        }
        InspectionRepository.PointRow point = inspections.point(h.pointId(), caller.scope()).orElseThrow();
        Map<String, Integer> counts = new HashMap<>();
        for (InspectionViews.Item item : items) {
            counts.merge(item.outcome(), 1, Integer::sum);
            if (item.outcome().equals("FAIL")) {
                String description = item.textZh() + (item.note() == null ? "" : "：" + item.note()) + "（" + h.pointName() + "）";
                long problemId = intake.openFromInspection(caller, id, h.pointId(), point.lon(), point.lat(), item.categoryCode(),
                        description, item.photoIds());
                inspections.linkProblem(id, item.code(), problemId);
            }
        }
        int passed = counts.getOrDefault("PASS", 0);
        int failed = counts.getOrDefault("FAIL", 0);
        BigDecimal score = passed + failed == 0 ? null
                : BigDecimal.valueOf(passed).divide(BigDecimal.valueOf(passed + failed), 4, RoundingMode.HALF_UP);
        inspections.finish(id, passed, failed, counts.getOrDefault("NA", 0), score);
        audit.record("INSPECTION_SUBMITTED", "inspection", id, h.gridCode(), null,
                Map.of("passed", passed, "failed", failed, "scoreRate", String.valueOf(score)));
        return get(caller, id);
    }

    List<InspectionViews.Uninspected> uninspected(CurrentUser caller, int days, int limit) {
        return inspections.uninspected(caller.scope(), days, limit);
    }

    private InspectionRepository.Header lockOpenOwn(CurrentUser caller, long id, Long version) {
        requireInspector(caller);
        InspectionRepository.Header h = inspections.header(id, caller.scope()).orElseThrow(() -> new NotFoundException("inspection", id));
        long current = inspections.lockVersion(id);
        if (h.inspectorId() != caller.id()) {
            throw new ConflictException("Only the inspector who started this inspection (" + h.inspector() + ") can change it.");
        }
        if (!h.status().equals("OPEN")) {
            throw new ConflictException("The inspection was already submitted.", Map.of("status", h.status(), "version", current));
        }
        if (version == null) {
            throw new InvalidParameterException("version", "is required: send the version of the inspection you are editing");
        }
        if (version != current) {
            throw new ConflictException("The inspection changed since you loaded it (version " + version + ", now " + current + ").",
                    Map.of("status", h.status(), "version", current));
        }
        return h;
    }

    private static void requireInspector(CurrentUser caller) {
        if (!caller.has(Role.INSPECTOR)) {
            throw new AccessDeniedException("Only inspectors inspect points.");
        }
    }
}

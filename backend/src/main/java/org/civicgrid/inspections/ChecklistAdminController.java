package org.civicgrid.inspections;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.ConflictException;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admins edit the checklists (ADMIN only, enforced for /api/admin/** in SecurityConfiguration). */
@RestController
class ChecklistAdminController {

    record ItemRequest(@NotNull Integer sortOrder, @NotBlank @Size(max = 500) String textZh, @NotBlank @Size(max = 500) String textEn,
                       @NotBlank String categoryCode, boolean active) {
    }

    record NewItemRequest(@NotBlank @Pattern(regexp = "[A-Z0-9_-]{3,60}") String code, @NotBlank String pointTypeCode,
                          @NotNull Integer sortOrder, @NotBlank @Size(max = 500) String textZh, @NotBlank @Size(max = 500) String textEn,
                          @NotBlank String categoryCode) {
    }

    private final ChecklistRepository checklists;
    private final InspectionRepository inspections;
    private final AuditTrail audit;

    ChecklistAdminController(ChecklistRepository checklists, InspectionRepository inspections, AuditTrail audit) {
        this.checklists = checklists;
        this.inspections = inspections;
        this.audit = audit;
    }

    @GetMapping("/api/admin/checklist-items")
    List<InspectionViews.ChecklistItem> items(CurrentUser admin, @RequestParam String pointType) {
        return inspections.checklist(pointType, true);
    }

    @PutMapping("/api/admin/checklist-items/{code}")
    @Transactional
    InspectionViews.ChecklistItem update(CurrentUser admin, @PathVariable String code, @Valid @RequestBody ItemRequest request) {
        InspectionViews.ChecklistItem before = find(code);
        requireCategory(request.categoryCode());
        checklists.update(code, request.sortOrder(), request.textZh().strip(), request.textEn().strip(), request.categoryCode(), request.active());
        InspectionViews.ChecklistItem after = find(code);
        audit.record("CHECKLIST_ITEM_UPDATED", "checklist_item", code, null, before, after);
        return after;
    }

    @PostMapping("/api/admin/checklist-items")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    InspectionViews.ChecklistItem create(CurrentUser admin, @Valid @RequestBody NewItemRequest request) {
        if (checklists.find(request.code()).isPresent()) {
            throw new ConflictException("A checklist item with the code " + request.code() + " exists.");
        }
        if (!checklists.pointTypeExists(request.pointTypeCode())) {
            throw new InvalidParameterException("pointTypeCode", "no point type has the code " + request.pointTypeCode());
        }
        requireCategory(request.categoryCode());
        checklists.insert(request.code(), request.pointTypeCode(), request.sortOrder(), request.textZh().strip(), request.textEn().strip(),
                request.categoryCode());
        InspectionViews.ChecklistItem created = find(request.code());
        audit.record("CHECKLIST_ITEM_CREATED", "checklist_item", request.code(), null, null, created);
        return created;
    }

    private InspectionViews.ChecklistItem find(String code) {
        return checklists.find(code).orElseThrow(() -> new NotFoundException("checklist item", code));
    }

    private void requireCategory(String code) {
        if (!checklists.categoryExists(code)) {
            throw new InvalidParameterException("categoryCode", "no problem category has the code " + code);
        }
    }
}

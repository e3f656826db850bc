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
import org.springframework.jdbc.core.simple.JdbcClient;
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

    static final String ITEM = "SELECT code, point_type_code, sort_order, text_zh, text_en, category_code, active FROM checklist_item WHERE code = :code";
    static final String UPDATE = """
            UPDATE checklist_item SET sort_order = :sortOrder, text_zh = :textZh, text_en = :textEn, category_code = :category, active = :active
            WHERE code = :code""";
    static final String INSERT = """
            INSERT INTO checklist_item (code, point_type_code, sort_order, text_zh, text_en, category_code, active)
            VALUES (:code, :type, :sortOrder, :textZh, :textEn, :category, :active)""";
    static final String CATEGORY_EXISTS = "SELECT count(*) FROM problem_category WHERE code = :code";
    static final String TYPE_EXISTS = "SELECT count(*) FROM point_type WHERE code = :code";

    record ItemRequest(@NotNull Integer sortOrder, @NotBlank @Size(max = 500) String textZh, @NotBlank @Size(max = 500) String textEn,
                       @NotBlank String categoryCode, boolean active) {
    }

    record NewItemRequest(@NotBlank @Pattern(regexp = "[A-Z0-9_-]{3,60}") String code, @NotBlank String pointTypeCode,
                          @NotNull Integer sortOrder, @NotBlank @Size(max = 500) String textZh, @NotBlank @Size(max = 500) String textEn,
                          @NotBlank String categoryCode) {
    }

    private final JdbcClient jdbc;
    private final InspectionRepository repository;
    private final AuditTrail audit;

    ChecklistAdminController(JdbcClient jdbc, InspectionRepository repository, AuditTrail audit) {
        this.jdbc = jdbc;
        this.repository = repository;
        this.audit = audit;
    }

    @GetMapping("/api/admin/checklist-items")
    List<InspectionViews.ChecklistItem> items(CurrentUser admin, @RequestParam String pointType) {
        return repository.checklist(pointType, true);
    }

    @PutMapping("/api/admin/checklist-items/{code}")
    @Transactional
    InspectionViews.ChecklistItem update(CurrentUser admin, @PathVariable String code, @Valid @RequestBody ItemRequest request) {
        InspectionViews.ChecklistItem before = find(code);
        requireCategory(request.categoryCode());
        jdbc.sql(UPDATE).param("code", code).param("sortOrder", request.sortOrder()).param("textZh", request.textZh().strip())
                .param("textEn", request.textEn().strip()).param("category", request.categoryCode()).param("active", request.active()).update();
        InspectionViews.ChecklistItem after = find(code);
        audit.record("CHECKLIST_ITEM_UPDATED", "checklist_item", code, null, before, after);
        return after;
    }

    @PostMapping("/api/admin/checklist-items")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    InspectionViews.ChecklistItem create(CurrentUser admin, @Valid @RequestBody NewItemRequest request) {
        if (jdbc.sql(ITEM).param("code", request.code()).query((rs, n) -> 1).optional().isPresent()) {
            throw new ConflictException("A checklist item with the code " + request.code() + " exists.");
        }
        if (jdbc.sql(TYPE_EXISTS).param("code", request.pointTypeCode()).query(Long.class).single() == 0) {
            throw new InvalidParameterException("pointTypeCode", "no point type has the code " + request.pointTypeCode());
        }
        requireCategory(request.categoryCode());
        jdbc.sql(INSERT).param("code", request.code()).param("type", request.pointTypeCode()).param("sortOrder", request.sortOrder())
                .param("textZh", request.textZh().strip()).param("textEn", request.textEn().strip()).param("category", request.categoryCode())
                .param("active", true).update();
        InspectionViews.ChecklistItem created = find(request.code());
        audit.record("CHECKLIST_ITEM_CREATED", "checklist_item", request.code(), null, null, created);
        return created;
    }

    private InspectionViews.ChecklistItem find(String code) {
        return jdbc.sql(ITEM).param("code", code)
                .query((rs, n) -> new InspectionViews.ChecklistItem(rs.getString("code"), rs.getString("point_type_code"), rs.getInt("sort_order"),
                        rs.getString("text_zh"), rs.getString("text_en"), rs.getString("category_code"), rs.getBoolean("active")))
                .optional().orElseThrow(() -> new NotFoundException("checklist item", code));
    }

    private void requireCategory(String code) {
        if (jdbc.sql(CATEGORY_EXISTS).param("code", code).query(Long.class).single() == 0) {
            throw new InvalidParameterException("categoryCode", "no problem category has the code " + code);
        }
    }
}

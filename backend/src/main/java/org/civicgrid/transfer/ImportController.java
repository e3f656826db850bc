package org.civicgrid.transfer;

import java.io.IOException;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * POST /api/imports (multipart file — CSV, GeoJSON, GeoPackage, zipped shapefile, any of them gzip-compressed —, kind,
 * crs) → 201 and the preview; POST /api/imports/{id}/commit → 200 when
 * committed, 202 while a large import commits in the background; GET /api/imports/{id} → status and progress.
 * Points: ADMIN, PLANNER. Problems: ADMIN, LEADER, INSPECTOR. A job is visible to the user who uploaded it.
 */
@RestController
class ImportController {

    /** The largest file accepted (50 MB). */
    static final long MAX_BYTES = 50L * 1024 * 1024;

    private final ImportService imports;

    ImportController(ImportService imports) {
        this.imports = imports;
    }

    @PostMapping("/api/imports")
    ResponseEntity<ImportJob> upload(CurrentUser caller, @RequestParam(required = false) MultipartFile file,
                                     @RequestParam(required = false) String kind, @RequestParam(required = false) String crs) throws IOException {
        if (!(ImportKind.POINTS.allows(caller) || ImportKind.PROBLEMS.allows(caller))) {
            throw new AccessDeniedException("Imports are for administrators, planners (points), leaders and inspectors (problems)");
        }
        ImportKind importKind = ImportKind.parse(kind);
        if (!importKind.allows(caller)) {
            throw new AccessDeniedException("Your roles may not import " + importKind.name().toLowerCase(java.util.Locale.ROOT));
        }
        InputCrs inputCrs = InputCrs.parse(crs);
        if (file == null || file.isEmpty()) {
            throw new InvalidParameterException("file", "is required (CSV, GeoJSON, GeoPackage or zipped shapefile)");
        }
        if (file.getSize() > MAX_BYTES) {
            throw new InvalidParameterException("file", "has " + file.getSize() + " bytes; at most 50 MB");
        }
        ImportJob job = imports.preview(caller, importKind, inputCrs, ImportSource.of(file.getOriginalFilename(), file::getInputStream));
        return ResponseEntity.status(HttpStatus.CREATED).body(job);
    }

    @PostMapping("/api/imports/{id}/commit")
    ResponseEntity<ImportJob> commit(CurrentUser caller, @PathVariable long id) {
        if (!(ImportKind.POINTS.allows(caller) || ImportKind.PROBLEMS.allows(caller))) {
            throw new AccessDeniedException("Imports are for administrators, planners (points), leaders and inspectors (problems)");
        }
        ImportJob job = imports.job(caller, id);
        if (!job.kind().allows(caller)) {
            throw new AccessDeniedException("Your roles may not import " + job.kindName());
        }
        ImportJob after = imports.commit(caller, id);
        return ResponseEntity.status("RUNNING".equals(after.status()) ? HttpStatus.ACCEPTED : HttpStatus.OK).body(after);
    }

    @GetMapping("/api/imports/{id}")
    ImportJob status(CurrentUser caller, @PathVariable long id) {
        return imports.job(caller, id);
    }
}

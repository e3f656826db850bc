package org.civicgrid.planning;

import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.civicgrid.geoformats.GeoFileFormat;
import org.civicgrid.planning.PlanningViews.*;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.civicgrid.web.GeoJsonResponses;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import tools.jackson.databind.node.ObjectNode;

/**
 * The planner's API (issue #7). PLANNER and ADMIN edit, validate and publish drafts in their scope;
 * LEADER reads drafts and history; other roles 403; areas and drafts outside the caller's scope 404.
 * Draft writes answer the whole draft document; its "draft.version" (also the ETag) is what If-Match /
 * "version" must carry on the next write.
 */
@RestController
@RequestMapping("/api/planning")
class PlanningController {

    private final PlanningService planning;

    PlanningController(PlanningService planning) {
        this.planning = planning;
    }

    private static void mayRead(CurrentUser caller) {
        if (!(caller.has(Role.PLANNER) || caller.has(Role.ADMIN) || caller.has(Role.LEADER))) {
            throw new AccessDeniedException("Only planners, administrators and leaders see grid planning.");
        }
    }

    private static void mayEdit(CurrentUser caller) {
        if (!(caller.has(Role.PLANNER) || caller.has(Role.ADMIN))) {
            throw new AccessDeniedException("Only planners and administrators edit grid drafts.");
        }
    }

    /** The expected draft version: If-Match ("3", W/"3" or 3) or the body's version; null when neither is given. */
    static Long expected(String ifMatch, Long bodyVersion) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            String digits = ifMatch.strip().replaceFirst("^W/", "").replace("\"", "");
            if (!digits.matches("\\d{1,18}")) {
                throw new InvalidParameterException("If-Match", "must be the draft's version, e.g. \"3\"");
            }
            return Long.parseLong(digits);
        }
        return bodyVersion;
    }

    private static ResponseEntity<ObjectNode> draftAnswer(HttpStatus status, ObjectNode doc) {
        return ResponseEntity.status(status).eTag("\"" + doc.path("draft").path("version").asLong() + "\"")
                .contentType(GeoJsonResponses.GEO_JSON).body(doc);
    }

    @PostMapping("/drafts")
    ResponseEntity<ObjectNode> create(CurrentUser caller, @RequestBody(required = false) CreateDraft request) {
        mayEdit(caller);
        long id = planning.create(caller, request);
        ObjectNode doc = planning.document(caller, id);
        return ResponseEntity.created(URI.create("/api/planning/drafts/" + id)).eTag("\"" + doc.path("draft").path("version").asLong() + "\"")
                .contentType(GeoJsonResponses.GEO_JSON).body(doc);
    }

    @GetMapping("/drafts")
    DraftList list(CurrentUser caller, @RequestParam(required = false) String areaCode, @RequestParam(required = false) String status) {
        mayRead(caller);
        return planning.list(caller, areaCode, status);
    }

    @GetMapping("/drafts/{id}")
    ResponseEntity<ObjectNode> get(CurrentUser caller, @PathVariable long id) {
        mayRead(caller);
        return draftAnswer(HttpStatus.OK, planning.document(caller, id));
    }

    @DeleteMapping("/drafts/{id}")
    ResponseEntity<Void> discard(CurrentUser caller, @PathVariable long id, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        mayEdit(caller);
        planning.discard(caller, id, expected(ifMatch, null));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/drafts/{id}/grids")
    ResponseEntity<ObjectNode> addGrid(CurrentUser caller, @PathVariable long id, @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                       @RequestBody(required = false) GridInput grid) {
        mayEdit(caller);
        return draftAnswer(HttpStatus.CREATED, planning.addGrid(caller, id, grid, expected(ifMatch, grid == null ? null : grid.version())));
    }

    @PutMapping("/drafts/{id}/grids/{gridKey}")
    ResponseEntity<ObjectNode> replaceGrid(CurrentUser caller, @PathVariable long id, @PathVariable long gridKey,
                                           @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                           @RequestBody(required = false) GridInput grid) {
        mayEdit(caller);
        Long expected = expected(ifMatch, grid == null ? null : grid.version());
        if (expected == null) {
            throw new InvalidParameterException("If-Match", "is required: the draft version you edited (header If-Match or body version)");
        }
        return draftAnswer(HttpStatus.OK, planning.replaceGrid(caller, id, gridKey, grid, expected));
    }

    @DeleteMapping("/drafts/{id}/grids/{gridKey}")
    ResponseEntity<ObjectNode> deleteGrid(CurrentUser caller, @PathVariable long id, @PathVariable long gridKey,
                                          @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        mayEdit(caller);
        return draftAnswer(HttpStatus.OK, planning.deleteGrid(caller, id, gridKey, expected(ifMatch, null)));
    }

    @PostMapping("/drafts/{id}/split")
    ResponseEntity<ObjectNode> split(CurrentUser caller, @PathVariable long id, @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                     @RequestBody(required = false) SplitRequest request) {
        mayEdit(caller);
        SplitRequest r = request == null ? null : new SplitRequest(request.gridKey(), request.line(), expected(ifMatch, request.version()));
        return draftAnswer(HttpStatus.OK, planning.split(caller, id, r));
    }

    @PostMapping("/drafts/{id}/merge")
    ResponseEntity<ObjectNode> merge(CurrentUser caller, @PathVariable long id, @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                     @RequestBody(required = false) MergeRequest request) {
        mayEdit(caller);
        MergeRequest r = request == null ? null : new MergeRequest(request.gridKeys(), expected(ifMatch, request.version()));
        return draftAnswer(HttpStatus.OK, planning.merge(caller, id, r));
    }

    @PostMapping("/drafts/{id}/import")
    ResponseEntity<ObjectNode> importFile(CurrentUser caller, @PathVariable long id, @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                          @RequestParam(name = "file", required = false) MultipartFile file,
                                          @RequestParam(required = false) String mode,
                                          @RequestParam(required = false) Long version) throws IOException {
        mayEdit(caller);
        return draftAnswer(HttpStatus.OK, planning.importFile(caller, id, file == null ? null : file.getOriginalFilename(),
                file == null ? null : file.getBytes(), mode,
                expected(ifMatch, version)));
    }

    @GetMapping("/drafts/{id}/export")
    ResponseEntity<byte[]> exportDraft(CurrentUser caller, @PathVariable long id, @RequestParam(required = false) String format) {
        mayRead(caller);
        GeoFileFormat f = PlanningService.format(format);
        return file(planning.exportDraft(caller, id, f), f, "draft-" + id);
    }

    @GetMapping("/live/export")
    ResponseEntity<byte[]> exportLive(CurrentUser caller, @RequestParam(required = false) String areaCode,
                                      @RequestParam(required = false) String format) {
        mayRead(caller);
        GeoFileFormat f = PlanningService.format(format);
        return file(planning.exportLive(caller, areaCode, f), f, "grids-" + areaCode);
    }

    private static ResponseEntity<byte[]> file(byte[] content, GeoFileFormat format, String name) {
        String extension = format == GeoFileFormat.SHAPEFILE_ZIP ? "shp.zip" : format.extension;
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(format.contentType))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name + "." + extension).build().toString())
                .body(content);
    }

    @PostMapping("/drafts/{id}/propose-code")
    ProposedCode proposeCode(CurrentUser caller, @PathVariable long id, @RequestBody(required = false) ProposeCode request) {
        mayEdit(caller);
        return planning.proposeCode(caller, id, request);
    }

    @GetMapping("/drafts/{id}/validation")
    Validation validation(CurrentUser caller, @PathVariable long id) {
        mayRead(caller);
        return planning.validation(caller, id);
    }

    @PostMapping("/drafts/{id}/validation")
    Validation validate(CurrentUser caller, @PathVariable long id) {
        mayRead(caller);
        return planning.validation(caller, id);
    }

    @PostMapping("/drafts/{id}/fix")
    Validation fix(CurrentUser caller, @PathVariable long id, @RequestHeader(name = "If-Match", required = false) String ifMatch,
                   @RequestBody(required = false) FixRequest request) {
        mayEdit(caller);
        FixRequest r = request == null ? null
                : new FixRequest(request.faultIndex(), request.type(), request.gridKey(), expected(ifMatch, request.version()));
        return planning.fix(caller, id, r);
    }

    @GetMapping("/drafts/{id}/impact")
    ObjectNode impact(CurrentUser caller, @PathVariable long id) {
        mayRead(caller);
        return planning.impact(caller, id);
    }

    @PostMapping("/drafts/{id}/publish")
    Published publish(CurrentUser caller, @PathVariable long id, @RequestHeader(name = "If-Match", required = false) String ifMatch,
                      @RequestBody(required = false) PublishRequest request) {
        mayEdit(caller);
        return planning.publish(caller, id, new PublishRequest(request == null ? null : request.effectiveFrom(),
                expected(ifMatch, request == null ? null : request.version())));
    }

    @GetMapping("/history")
    ObjectNode history(CurrentUser caller, @RequestParam(required = false) String areaCode) {
        mayRead(caller);
        return planning.history(caller, areaCode);
    }

    @GetMapping("/grids")
    ResponseEntity<String> gridsAt(CurrentUser caller, @RequestParam(required = false) String areaCode,
                                   @RequestParam(required = false) String at) {
        mayRead(caller);
        LocalDate day;
        try {
            day = at == null || at.isBlank() ? null : LocalDate.parse(at);
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException("at", "must be a date YYYY-MM-DD");
        }
        return GeoJsonResponses.ok(planning.gridsAt(caller, areaCode, day));
    }
}

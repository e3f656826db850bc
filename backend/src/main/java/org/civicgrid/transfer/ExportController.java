package org.civicgrid.transfer;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;

import jakarta.servlet.http.HttpServletResponse;

import org.civicgrid.database.ReadOnlyWork;
import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/exports/{layer}?format=csv|xlsx|geojson|gpkg (+ the map's filters for points and problems): the layer
 * within the caller's scope as a download. Every role but HANDLER (whose view is its department's dispatched
 * problems, not an area) may export.
 */
@RestController
@ReadOnlyWork
class ExportController {

    private final ExportService exports;

    ExportController(ExportService exports) {
        this.exports = exports;
    }

    @GetMapping("/api/exports/{layer}")
    void export(CurrentUser caller, MapFilters filters, @PathVariable String layer, @RequestParam(required = false) String format,
                HttpServletResponse response) throws IOException {
        if (caller.roles().stream().allMatch(r -> r == Role.HANDLER)) {
            throw new AccessDeniedException("Handlers work on their department's problems; exports are for area roles");
        }
        ExportLayer exportLayer = ExportLayer.parse(layer);
        ExportFormat exportFormat = ExportFormat.parse(format);
        if (exportFormat.geoFormat != null) {
            exports.checkGisSize(exportLayer, caller.scope(), filters);
        }
        String fileName = "civicgrid-" + exportLayer.fileName() + "-" + LocalDate.now(ZoneId.of("Asia/Shanghai")) + "." + exportFormat.extension;
        response.setContentType(exportFormat.contentType);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(fileName).build().toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        exports.write(exportLayer, exportFormat, caller.scope(), filters, response.getOutputStream());
    }
}

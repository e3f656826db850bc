package org.civicgrid.areas;

import java.util.List;
import java.util.Map;

import org.civicgrid.database.ReadOnlyWork;
import org.civicgrid.map.LayerRevisions;
import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.BoundingBox;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Areas coloured by rectification status (挂图作战), and the side panel of one area. */
@RestController
@ReadOnlyWork
class AreaStatsController {

    private final AreaStatsRepository stats;
    private final LayerRevisions revisions;
    private final ObjectMapper json;

    AreaStatsController(AreaStatsRepository stats, LayerRevisions revisions, ObjectMapper json) {
        this.stats = stats;
        this.revisions = revisions;
        this.json = json;
    }

    /** Areas of a level in the viewport (optionally only inside the drilled-down area {@code within}) with the chosen metric. */
    @GetMapping("/api/layers/area-stats")
    ResponseEntity<String> areaStats(CurrentUser caller, MapFilters filters, WebRequest request, @RequestParam(required = false) String level,
                                     @RequestParam(required = false) String bbox, @RequestParam(required = false) String metric,
                                     @RequestParam(required = false) String within) {
        AreaLevel areaLevel = AreaLevel.parse(level);
        BoundingBox box = BoundingBox.parse(bbox);
        AreaMetric areaMetric = AreaMetric.parse(metric);
        String prefix = within == null || within.isBlank() ? "" : within.strip();
        if (!prefix.isEmpty() && !AreaCodes.isAreaCode(prefix)) {
            throw new InvalidParameterException("within", "'" + within + "' is not an area code");
        }
        return revisions.geoJson(request, "problems,grids,inspections,lights",
                () -> stats.areaStats(areaLevel, prefix, box, areaMetric, caller.scope(), filters),
                caller.scope().key(), areaLevel.name(), box.toString(), areaMetric.name(), prefix, filters.key());
    }

    record Summary(String code, String name, String level, List<AreaStatsRepository.Owner> owners, long open, long overdue, long closed,
                   long dueToClose, long closedOnTime, Double closureRate, Double onTimeClosureRate, Double scoreRate,
                   Map<String, Long> byStatus, List<AreaStatsRepository.CategoryCount> byCategory,
                   List<AreaStatsRepository.OverdueItem> overdueList) {
    }

    /** The side panel of an area: owners, counts by status and category, rates, overdue problems. */
    @GetMapping("/api/areas/{code}/summary")
    Summary summary(CurrentUser caller, MapFilters filters, @PathVariable String code) {
        if (!AreaCodes.isAreaCode(code)) {
            throw new InvalidParameterException("code", "'" + code + "' is not an area code");
        }
        AreaLevel level = AreaLevel.ofCode(code);
        JsonNode area = stats.oneArea(level, code, caller.scope(), filters).map(json::readTree)
                .map(collection -> collection.path("features").get(0).path("properties"))
                .orElseThrow(() -> new NotFoundException("area", code));
        long closed = area.path("closed").asLong();
        long due = area.path("dueToClose").asLong();
        long onTime = area.path("closedOnTime").asLong();
        return new Summary(code, area.path("name").asString(), level.parameterValue(), stats.owners(code, level), area.path("open").asLong(),
                area.path("overdue").asLong(), closed, due, onTime, due == 0 ? null : (double) closed / due,
                due == 0 ? null : (double) onTime / due, area.path("scoreRate").isNull() ? null : area.path("scoreRate").asDouble(),
                stats.byStatus(code, caller.scope(), filters), stats.byCategory(code, caller.scope(), filters),
                stats.overdue(code, caller.scope(), filters));
    }
}

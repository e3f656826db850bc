package org.civicgrid.indicators;

import java.time.LocalDate;

import org.civicgrid.database.ReadOnlyWork;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.civicgrid.web.BoundingBox;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.ZoomLevel;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The leader dashboard's indicators, trends, breakdowns, heatmap and hotspots (issue #6); leaders and admins only. */
@RestController
@ReadOnlyWork
class IndicatorController {

    private static final MediaType GEO_JSON = MediaType.parseMediaType("application/geo+json");

    private final Indicators indicators;

    IndicatorController(Indicators indicators) {
        this.indicators = indicators;
    }

    @GetMapping("/api/indicators")
    IndicatorReport indicators(CurrentUser caller, @RequestParam(required = false) String area, @RequestParam(required = false) String from,
                               @RequestParam(required = false) String to, @RequestParam(required = false) String category,
                               @RequestParam(required = false) String action) {
        requireLeader(caller);
        Period period = Period.parse(from, to);
        return indicators.indicators(caller.scope(), area, period.from(), period.to(), new IndicatorFilters(category, action));
    }

    @GetMapping("/api/indicators/trend")
    IndicatorTrend trend(CurrentUser caller, @RequestParam(required = false) String area, @RequestParam(required = false) String weeks,
                         @RequestParam(required = false) String to, @RequestParam(required = false) String category,
                         @RequestParam(required = false) String action) {
        requireLeader(caller);
        int count = 12;
        if (weeks != null && !weeks.isBlank()) {
            try {
                count = Integer.parseInt(weeks.strip());
            } catch (NumberFormatException e) {
                throw new InvalidParameterException("weeks", "'" + weeks + "' is not an integer 1..52");
            }
        }
        LocalDate last = to == null || to.isBlank() ? LocalDate.now(Period.ZONE) : Period.date("to", to);
        return indicators.trend(caller.scope(), area, count, last, new IndicatorFilters(category, action));
    }

    @GetMapping("/api/indicators/breakdown")
    IndicatorBreakdown breakdown(CurrentUser caller, @RequestParam(required = false) String area, @RequestParam(required = false) String from,
                                 @RequestParam(required = false) String to, @RequestParam(required = false) String by,
                                 @RequestParam(required = false) String category, @RequestParam(required = false) String action) {
        requireLeader(caller);
        Period period = Period.parse(from, to);
        return indicators.breakdown(caller.scope(), area, period.from(), period.to(), by == null ? "category" : by.strip(),
                new IndicatorFilters(category, action));
    }

    @GetMapping("/api/heatmap")
    ResponseEntity<String> heatmap(CurrentUser caller, @RequestParam(required = false) String bbox, @RequestParam(required = false) String zoom,
                                   @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                   @RequestParam(required = false) String category, @RequestParam(required = false) String action,
                                   @RequestParam(required = false) String status) {
        requireLeader(caller);
        BoundingBox box = BoundingBox.parse(bbox);
        int z = ZoomLevel.parse(zoom);
        Period period = Period.parse(from, to);
        return ResponseEntity.ok().contentType(GEO_JSON).body(indicators.heatmap(caller.scope(), box, z, period.from(), period.to(),
                new IndicatorFilters(category, action), status));
    }

    @GetMapping("/api/heatmap/hotspots")
    ResponseEntity<String> hotspots(CurrentUser caller, @RequestParam(required = false) String bbox, @RequestParam(required = false) String zoom,
                                    @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                    @RequestParam(required = false) String category, @RequestParam(required = false) String action,
                                    @RequestParam(required = false) String status, @RequestParam(required = false) String limit) {
        requireLeader(caller);
        BoundingBox box = BoundingBox.parse(bbox);
        int z = ZoomLevel.parse(zoom);
        Period period = Period.parse(from, to);
        int n = 10;
        if (limit != null && !limit.isBlank()) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                throw new InvalidParameterException("limit", "'" + limit + "' is not an integer 1..50");
            }
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(indicators.hotspots(caller.scope(), box, z, period.from(),
                period.to(), new IndicatorFilters(category, action), status, n));
    }

    private static void requireLeader(CurrentUser caller) {
        if (!(caller.has(Role.ADMIN) || caller.has(Role.LEADER))) {
            throw new AccessDeniedException("Indicators and heatmaps are for leaders and administrators");
        }
    }
}

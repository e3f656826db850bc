package org.civicgrid.areas;

import org.civicgrid.database.ReadOnlyWork;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.BoundingBox;
import org.civicgrid.web.GeoJsonResponses;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@ReadOnlyWork
class AreaLayerController {

    private final AreaLayerRepository areas;

    AreaLayerController(AreaLayerRepository areas) {
        this.areas = areas;
    }

    /** Outlines of one administrative level in the viewport. */
    @GetMapping("/api/layers/areas")
    ResponseEntity<String> areas(CurrentUser caller, @RequestParam(required = false) String level, @RequestParam(required = false) String bbox) {
        AreaLevel areaLevel = AreaLevel.parse(level);
        if (areaLevel == AreaLevel.GRID) {
            throw new InvalidParameterException("level", "grids come from /api/layers/grids (or /api/layers/area-stats?level=grid)");
        }
        return GeoJsonResponses.ok(areas.areasIn(areaLevel, BoundingBox.parse(bbox), caller.scope()));
    }
}

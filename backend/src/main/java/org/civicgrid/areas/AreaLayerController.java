package org.civicgrid.areas;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.BoundingBox;
import org.civicgrid.web.GeoJsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AreaLayerController {

    private final AreaLayerRepository areas;

    AreaLayerController(AreaLayerRepository areas) {
        this.areas = areas;
    }

    /** Outlines of one administrative level in the viewport. */
    @GetMapping("/api/layers/areas")
    ResponseEntity<String> areas(CurrentUser caller, @RequestParam(required = false) String level, @RequestParam(required = false) String bbox) {
        AreaLevel areaLevel = AreaLevel.parse(level);
        return GeoJsonResponses.ok(areas.areasIn(areaLevel, BoundingBox.parse(bbox), caller.scope()));
    }
}

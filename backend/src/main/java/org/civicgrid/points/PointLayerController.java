package org.civicgrid.points;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.BoundingBox;
import org.civicgrid.web.GeoJsonResponses;
import org.civicgrid.web.ZoomLevel;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PointLayerController {

    private final PointLayerRepository points;

    PointLayerController(PointLayerRepository points) {
        this.points = points;
    }

    /** Measurement points in the viewport with their type and open-problem counts. */
    @GetMapping("/api/layers/points")
    ResponseEntity<String> points(CurrentUser caller, @RequestParam(required = false) String bbox, @RequestParam(required = false) String zoom) {
        BoundingBox box = BoundingBox.parse(bbox);
        ZoomLevel.parse(zoom);
        return GeoJsonResponses.ok(points.pointsIn(box, caller.scope()));
    }
}

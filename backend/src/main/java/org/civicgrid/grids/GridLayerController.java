package org.civicgrid.grids;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.BoundingBox;
import org.civicgrid.web.GeoJsonResponses;
import org.civicgrid.web.ZoomLevel;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class GridLayerController {

    private final GridLayerRepository grids;

    GridLayerController(GridLayerRepository grids) {
        this.grids = grids;
    }

    /** Current grids in the viewport with their open-problem counts and owners. */
    @GetMapping("/api/layers/grids")
    ResponseEntity<String> grids(CurrentUser caller, @RequestParam(required = false) String bbox, @RequestParam(required = false) String zoom) {
        BoundingBox box = BoundingBox.parse(bbox);
        ZoomLevel.parse(zoom);
        return GeoJsonResponses.ok(grids.gridsIn(box, caller.scope()));
    }
}

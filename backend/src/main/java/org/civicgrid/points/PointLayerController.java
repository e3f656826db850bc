package org.civicgrid.points;

import java.util.function.Supplier;

import org.civicgrid.database.ReadOnlyWork;
import org.civicgrid.map.LayerRevisions;
import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.BoundingBox;
import org.civicgrid.web.ZoomLevel;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

@RestController
@ReadOnlyWork
class PointLayerController {

    /** Below this zoom points come as clusters with counts: thousands of markers would hide each other. */
    static final int RAW_FROM_ZOOM = 14;

    private final PointLayerRepository points;
    private final LayerRevisions revisions;

    PointLayerController(PointLayerRepository points, LayerRevisions revisions) {
        this.points = points;
        this.revisions = revisions;
    }

    /** Measurement points in the viewport with their type, open-problem count and worst traffic light. */
    @GetMapping("/api/layers/points")
    ResponseEntity<String> points(CurrentUser caller, MapFilters filters, WebRequest request, @RequestParam(required = false) String bbox,
                                  @RequestParam(required = false) String zoom) {
        BoundingBox box = BoundingBox.parse(bbox);
        int z = ZoomLevel.parse(zoom);
        Supplier<String> body = z >= RAW_FROM_ZOOM ? () -> points.pointsIn(box, caller.scope(), filters)
                : () -> points.clustersIn(box, ZoomLevel.clusterCellDegrees(z), caller.scope(), filters);
        return revisions.geoJson(request, "points,problems,grids,lights", body,
                caller.scope().key(), box.toString(), String.valueOf(Math.min(z, RAW_FROM_ZOOM)), filters.key());
    }

}

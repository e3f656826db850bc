package org.civicgrid.grids;

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
class GridLayerController {

    private final GridLayerRepository grids;
    private final LayerRevisions revisions;

    GridLayerController(GridLayerRepository grids, LayerRevisions revisions) {
        this.grids = grids;
        this.revisions = revisions;
    }

    /** Current grids in the viewport with their open-problem counts (under the filters) and owners. */
    @GetMapping("/api/layers/grids")
    ResponseEntity<String> grids(CurrentUser caller, MapFilters filters, WebRequest request, @RequestParam(required = false) String bbox,
                                 @RequestParam(required = false) String zoom) {
        BoundingBox box = BoundingBox.parse(bbox);
        ZoomLevel.parse(zoom);
        return revisions.geoJson(request, "grids,problems", () -> grids.gridsIn(box, caller.scope(), filters),
                caller.scope().key(), box.toString(), filters.key());
    }
}

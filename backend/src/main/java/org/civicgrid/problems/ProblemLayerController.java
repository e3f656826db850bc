package org.civicgrid.problems;

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
class ProblemLayerController {

    /** From this zoom on, each problem is its own marker. */
    static final int RAW_FROM_ZOOM = 15;

    private final ProblemLayerRepository layer;
    private final LayerRevisions revisions;

    ProblemLayerController(ProblemLayerRepository layer, LayerRevisions revisions) {
        this.layer = layer;
        this.revisions = revisions;
    }

    /** Problems in the viewport coloured by traffic light; open ones only unless a status filter asks for others. */
    @GetMapping("/api/layers/problems")
    ResponseEntity<String> problems(CurrentUser caller, MapFilters filters, WebRequest request, @RequestParam(required = false) String bbox,
                                    @RequestParam(required = false) String zoom) {
        BoundingBox box = BoundingBox.parse(bbox);
        int z = ZoomLevel.parse(zoom);
        boolean includeClosed = !filters.statuses().isEmpty();
        Supplier<String> body = z >= RAW_FROM_ZOOM ? () -> layer.problems(box, caller.scope(), filters, includeClosed)
                : () -> layer.clusters(box, z, caller.scope(), filters, includeClosed);
        return revisions.geoJson(request, "problems,lights", body,
                caller.scope().key(), box.toString(), String.valueOf(Math.min(z, RAW_FROM_ZOOM)), filters.key());
    }
}

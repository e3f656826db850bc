package org.civicgrid.map;

import org.civicgrid.security.CurrentUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class MapConfigController {

    /** Mainland China, shown when nothing lies in the caller's scope yet. */
    private static final MapConfig.Bounds CHINA = new MapConfig.Bounds(18.0, 73.5, 53.6, 135.1);
    private static final int MIN_ZOOM = 4;
    private static final int MAX_ZOOM = 19;

    private final MapConfigRepository repository;

    MapConfigController(MapConfigRepository repository) {
        this.repository = repository;
    }

    /** Frames the caller's own area: a grid manager opens on their grids, a leader on their street or district. */
    @GetMapping("/api/map/config")
    MapConfig config(CurrentUser caller) {
        return repository.extent(caller.scope())
                .map(e -> MapConfig.of(new MapConfig.District(e.districtCode(), e.districtName()),
                        new MapConfig.Bounds(e.minLat(), e.minLon(), e.maxLat(), e.maxLon()), MIN_ZOOM, MAX_ZOOM,
                        UserSummary.of(caller)))
                .orElseGet(() -> MapConfig.of(null, CHINA, MIN_ZOOM, MAX_ZOOM, UserSummary.of(caller)));
    }
}

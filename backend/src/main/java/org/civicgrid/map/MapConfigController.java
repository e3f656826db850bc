package org.civicgrid.map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class MapConfigController {

    /** Mainland China, shown when no district is loaded yet. */
    private static final MapConfig.Bounds CHINA = new MapConfig.Bounds(18.0, 73.5, 53.6, 135.1);
    private static final int MIN_ZOOM = 4;
    private static final int MAX_ZOOM = 19;

    private final MapConfigRepository repository;

    MapConfigController(MapConfigRepository repository) {
        this.repository = repository;
    }

    @GetMapping("/api/map/config")
    MapConfig config() {
        return repository.districtExtent()
                .map(e -> MapConfig.of(new MapConfig.District(e.code(), e.name()),
                        new MapConfig.Bounds(e.minLat(), e.minLon(), e.maxLat(), e.maxLon()), MIN_ZOOM, MAX_ZOOM))
                .orElseGet(() -> MapConfig.of(null, CHINA, MIN_ZOOM, MAX_ZOOM));
    }
}

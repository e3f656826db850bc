package org.civicgrid.map;

import org.civicgrid.security.CurrentUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@org.springframework.boot.context.properties.EnableConfigurationProperties(BaseMapProperties.class)
class MapConfigController {

    /** Mainland China, shown when nothing lies in the caller's scope yet. */
    private static final MapConfig.Bounds CHINA = new MapConfig.Bounds(18.0, 73.5, 53.6, 135.1);
    private static final int MIN_ZOOM = 4;
    private static final int MAX_ZOOM = 19;

    private final MapConfigRepository repository;
    private final BaseMapProperties baseMaps;

    MapConfigController(MapConfigRepository repository, BaseMapProperties baseMaps) {
        this.repository = repository;
        this.baseMaps = baseMaps;
    }

    /** Frames the caller's own area: a grid manager opens on their grids, a leader on their street or district. */
    @GetMapping("/api/map/config")
    MapConfig config(CurrentUser caller) {
        return repository.extent(caller.scope())
                .map(e -> MapConfig.of(new MapConfig.District(e.districtCode(), e.districtName()),
                        new MapConfig.Bounds(e.minLat(), e.minLon(), e.maxLat(), e.maxLon()), MIN_ZOOM, MAX_ZOOM,
                        UserSummary.of(caller), baseMaps.basemaps()))
                .orElseGet(() -> MapConfig.of(null, CHINA, MIN_ZOOM, MAX_ZOOM, UserSummary.of(caller), baseMaps.basemaps()));
    }
}

package org.civicgrid.points;

import java.util.List;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PointDirectoryController {

    private static final int MAX_ITEMS = 200;

    private final PointDirectoryRepository points;

    PointDirectoryController(PointDirectoryRepository points) {
        this.points = points;
    }

    /** Points by name, address or grid code, nearest first when {@code near=lon,lat} (the phone's position) is given. */
    @GetMapping("/api/points")
    List<PointDirectoryRepository.PointSummary> search(CurrentUser caller, @RequestParam(required = false) String q,
                                                       @RequestParam(required = false) String near,
                                                       @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_ITEMS) {
            throw new InvalidParameterException("limit", "must be 1.." + MAX_ITEMS);
        }
        Double lon = null;
        Double lat = null;
        if (near != null && !near.isBlank()) {
            String[] parts = near.split(",");
            try {
                lon = Double.parseDouble(parts[0].trim());
                lat = Double.parseDouble(parts[1].trim());
            } catch (RuntimeException e) {
                throw new InvalidParameterException("near", "must be lon,lat in WGS84 degrees");
            }
            if (parts.length != 2 || !Double.isFinite(lon) || !Double.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
                throw new InvalidParameterException("near", "must be lon,lat in WGS84 degrees");
            }
        }
        return points.search(caller.scope(), q, lon, lat, limit);
    }

    @GetMapping("/api/points/{id}")
    PointDirectoryRepository.PointDetail point(CurrentUser caller, @PathVariable long id) {
        return points.detail(id, caller.scope()).orElseThrow(() -> new NotFoundException("measurement point", id));
    }
}

package org.civicgrid.areas;

import java.util.List;

import org.civicgrid.security.CurrentUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AreaDirectoryController {

    private final AreaDirectoryRepository areas;

    AreaDirectoryController(AreaDirectoryRepository areas) {
        this.areas = areas;
    }

    /** Districts, streets, communities and current grids inside the caller's scope, by code. */
    @GetMapping("/api/areas")
    List<AreaDirectoryRepository.AreaEntry> areas(CurrentUser caller) {
        return areas.areas(caller.scope());
    }
}

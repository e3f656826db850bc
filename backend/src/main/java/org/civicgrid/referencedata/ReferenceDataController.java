package org.civicgrid.referencedata;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api")
class ReferenceDataController {

    private final ReferenceDataRepository repository;

    ReferenceDataController(ReferenceDataRepository repository) {
        this.repository = repository;
    }

    @GetMapping("/point-types")
    List<PointTypeView> pointTypes() {
        return repository.pointTypes();
    }

    /** Problem categories with their special action (专项行动) and time limit in working hours. */
    @GetMapping("/problem-categories")
    List<CategoryView> categories() {
        return repository.categories();
    }

    @GetMapping("/departments")
    List<DepartmentView> departments() {
        return repository.departments();
    }
}

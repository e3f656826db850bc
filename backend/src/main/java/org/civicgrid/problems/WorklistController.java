package org.civicgrid.problems;

import java.util.Arrays;
import java.util.List;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class WorklistController {

    private static final int MAX_ITEMS = 500;

    private final ProblemRepository problems;

    WorklistController(ProblemRepository problems) {
        this.problems = problems;
    }

    /** Which worklists the caller's roles open, e.g. ["my-grids"] for a grid manager. */
    @GetMapping("/api/worklists")
    List<String> mine(CurrentUser caller) {
        return Arrays.stream(Worklist.values()).filter(w -> w.roles.stream().anyMatch(caller::has)).map(w -> w.pathName).toList();
    }

    @GetMapping("/api/worklists/{name}")
    List<ProblemViews.WorkItem> worklist(CurrentUser caller, @PathVariable String name, @RequestParam(defaultValue = "200") int limit) {
        Worklist list = Worklist.fromPath(name);
        if (list == null) {
            throw new InvalidParameterException("name", "'" + name + "' is not a worklist; worklists: "
                    + String.join(", ", Arrays.stream(Worklist.values()).map(w -> w.pathName).toList()));
        }
        if (list.roles.stream().noneMatch(caller::has)) {
            throw new AccessDeniedException("The worklist " + name + " is for " + list.roles);
        }
        if (limit < 1 || limit > MAX_ITEMS) {
            throw new InvalidParameterException("limit", "must be 1.." + MAX_ITEMS);
        }
        return problems.workItems(caller.scope(), new ProblemRepository.WorkQuery(list.statuses, list.departmentOnly, list.gridOnly,
                list.attentionOnly, limit));
    }
}

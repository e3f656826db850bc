package org.civicgrid.map;

import java.util.List;

import org.civicgrid.database.ReadOnlyWork;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@ReadOnlyWork
class SearchController {

    private static final int MAX_HITS = 20;

    private final SearchRepository search;

    SearchController(SearchRepository search) {
        this.search = search;
    }

    /** Points by name or address, and areas by name or code (a grid code prefix finds its grids). */
    @GetMapping("/api/search")
    List<SearchRepository.Hit> search(CurrentUser caller, @RequestParam(required = false) String q) {
        if (q == null || q.isBlank() || q.strip().length() > 100) {
            throw new InvalidParameterException("q", "give 1–100 characters to search for");
        }
        return search.search(caller.scope(), q.strip(), MAX_HITS);
    }
}

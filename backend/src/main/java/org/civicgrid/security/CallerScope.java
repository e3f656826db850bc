package org.civicgrid.security;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.civicgrid.areas.AreaCodes;

/**
 * What a caller may see: the subtrees rooted at its area codes (a district, street, community or grid
 * code is the prefix of every code below it), and for handlers their department's dispatched problems.
 * Repositories bind {@link #codePatterns()} as one parameter: {@code code LIKE ANY (string_to_array(:scope, ','))}.
 */
public record CallerScope(List<String> areaCodes, Optional<String> departmentCode, boolean wholeCity) {

    /**
     * {@code wholeCity}: the areas are every district there is. Such a caller's patterns collapse to one
     * "%": a city leader's query then tests one pattern per row instead of one per district.
     */
    public CallerScope {
        areaCodes = List.copyOf(areaCodes);
        for (String code : areaCodes) {
            if (!AreaCodes.isAreaCode(code)) {
                throw new IllegalArgumentException("Not an area code: " + code);
            }
        }
    }

    public CallerScope(List<String> areaCodes, Optional<String> departmentCode) {
        this(areaCodes, departmentCode, false);
    }

    /** LIKE patterns for the subtrees, comma-separated (codes are digits only, so nothing needs escaping). */
    public String codePatterns() {
        if (wholeCity) {
            return "%";
        }
        return areaCodes.stream().map(code -> code + "%").collect(Collectors.joining(","));
    }

    /** A stable text of the scope, for cache keys. */
    public String key() {
        return codePatterns() + "|" + departmentCode.orElse("");
    }

    /** Whether an area, grid or object with this code lies inside the scope. */
    public boolean covers(String code) {
        return code != null && (wholeCity || areaCodes.stream().anyMatch(code::startsWith));
    }

    public boolean isEmpty() {
        return areaCodes.isEmpty();
    }
}

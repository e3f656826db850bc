package org.civicgrid.indicators;

import org.civicgrid.web.InvalidParameterException;

/**
 * The optional filters of every indicator and heatmap request: one problem category code and/or one
 * special action code (a problem belongs to an action through its category, as in the map's filters).
 * Unknown codes are refused by {@link Indicators} with 400 naming the parameter.
 */
public record IndicatorFilters(String category, String action) {

    public static final IndicatorFilters NONE = new IndicatorFilters(null, null);

    private static final String CODE = "[A-Z0-9_]{1,40}";

    public IndicatorFilters {
        category = blankToNull(category);
        action = blankToNull(action);
        if (category != null && !category.matches(CODE)) {
            throw new InvalidParameterException("category", "'" + category + "' is not a category code");
        }
        if (action != null && !action.matches(CODE)) {
            throw new InvalidParameterException("action", "'" + action + "' is not a special action code");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}

package org.civicgrid.indicators;

import java.time.LocalDate;
import java.util.List;

/** The indicators of one area and period, as {@code GET /api/indicators} answers them. */
public record IndicatorReport(AreaRef area, LocalDate from, LocalDate to, List<Indicator> indicators) {

    /** An area of the hierarchy: level is district, street, community or grid. */
    public record AreaRef(String code, String name, String level) {
    }

    /**
     * One indicator: unit is count, ratio or hours; value is null when the denominator is 0. Counts have
     * value = numerator and denominator null; the median has numerator null and the number of closures
     * as denominator; the score rate has the sum of score rates over the number of inspections.
     */
    public record Indicator(String key, Number value, Number numerator, Number denominator, String unit, String formulaZh,
                            String formulaEn) {
    }

    /** The indicator with this key. */
    public Indicator get(String key) {
        return indicators.stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow();
    }
}

package org.civicgrid.indicators;

import java.time.LocalDate;
import java.util.List;

/** Weekly indicators (Monday–Sunday, oldest first), as {@code GET /api/indicators/trend} answers them. */
public record IndicatorTrend(IndicatorReport.AreaRef area, List<Week> weeks) {

    public record Week(LocalDate weekStart, long reported, long closed, Double closureRate, Double onTimeClosureRate, long overdue) {
    }
}

package org.civicgrid.indicators;

import java.util.List;

/** Counts by problem category or special action, as {@code GET /api/indicators/breakdown} answers them. */
public record IndicatorBreakdown(String by, List<Row> rows) {

    public record Row(String code, String name, long reported, long open, long closed, long overdue) {
    }
}

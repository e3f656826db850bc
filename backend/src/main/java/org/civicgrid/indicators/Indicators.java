package org.civicgrid.indicators;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.civicgrid.areas.AreaCodes;
import org.civicgrid.security.CallerScope;
import org.civicgrid.web.BoundingBox;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The dashboard's indicators (domain.md §7) for an area and a period, and its heatmap bins: the one
 * place their numbers come from, for the dashboard endpoints and for the weekly bulletin alike.
 * Definitions: README "### Indicators" and the formula texts below.
 */
@Service
public class Indicators {

    static final String AREA = """
            SELECT a.code, a.name, a.level FROM (
                SELECT code, name, 'district' AS level FROM district WHERE code = :code
                UNION ALL SELECT code, name, 'street' FROM street WHERE code = :code
                UNION ALL SELECT code, name, 'community' FROM community WHERE code = :code
                UNION ALL SELECT code, name, 'grid' FROM grid WHERE code = :code AND valid_to IS NULL) a""";
    static final String CATEGORY_EXISTS = "SELECT count(*) FROM problem_category WHERE code = :code";
    static final String ACTION_EXISTS = "SELECT count(*) FROM special_action WHERE code = :code";

    private record Definition(String key, String unit, String formulaZh, String formulaEn) {
    }

    private static final List<Definition> DEFINITIONS = List.of(
            new Definition("reported", "count", "上报数 = 期内上报的问题数（含不予立案）",
                    "reported = problems reported in the period (rejected ones included)"),
            new Definition("accepted", "count", "立案数 = 期内立案的问题数", "accepted = problems accepted (立案) in the period"),
            new Definition("closed", "count", "结案数 = 期内结案的问题数", "closed = problems closed in the period"),
            new Definition("closureRate", "ratio", "结案率 = 期内结案数 ÷ 应结案数（期内结案 + 期末已超期未结）",
                    "closure rate = closed in the period ÷ due to close (closed in the period + overdue at the period's end)"),
            new Definition("onTimeClosureRate", "ratio", "按期结案率 = 期内按期结案数（结案时间 ≤ 处置时限）÷ 应结案数",
                    "on-time closure rate = closed in the period no later than the deadline ÷ due to close"),
            new Definition("handlingRate", "ratio", "处置率 = 期内派遣的问题中期末前已提交核查或已结案的数量 ÷ 期内派遣数",
                    "handling rate = problems dispatched in the period that were submitted for check or closed by the period's end ÷ problems dispatched in the period"),
            new Definition("reworkRate", "ratio", "返工率 = 期内核查退回返工次数 ÷ 期内提交核查次数",
                    "rework rate = returns for rework in the period ÷ submissions for check in the period"),
            new Definition("overdue", "count", "超期数 = 期末未结案、未挂账且已过处置时限的问题数",
                    "overdue = problems not closed, not rejected and not suspended at the period's end whose deadline had passed"),
            new Definition("medianHoursToClose", "hours", "结案用时中位数 = 期内结案问题自上报至结案的小时数的中位数",
                    "median hours to close = median of hours from report to closure over the problems closed in the period"),
            new Definition("inspectionScoreRate", "ratio", "督查得分率 = 期内提交的督查得分率之和 ÷ 期内提交的督查次数",
                    "inspection score rate = mean score rate of the inspections submitted in the period"));

    private final JdbcClient jdbc;

    Indicators(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The indicators of an area (in the caller's scope, else 404) for a period; unknown filter codes are 400. */
    public IndicatorReport indicators(CallerScope scope, String areaCode, LocalDate from, LocalDate to, IndicatorFilters filters) {
        Period period = new Period(from, to);
        IndicatorReport.AreaRef area = area(scope, areaCode);
        checkCodes(filters);
        return new IndicatorReport(area, from, to, compute(scope, area.code(), period, filters, Instant.now()));
    }

    /** {@code weeks} Monday–Sunday weeks ending with the week that holds {@code to}, oldest first. */
    public IndicatorTrend trend(CallerScope scope, String areaCode, int weeks, LocalDate to, IndicatorFilters filters) {
        if (weeks < 1 || weeks > 52) {
            throw new InvalidParameterException("weeks", weeks + " is outside 1..52");
        }
        if (to == null) {
            throw new InvalidParameterException("to", "is required (a date like 2026-11-30)");
        }
        IndicatorReport.AreaRef area = area(scope, areaCode);
        checkCodes(filters);
        LocalDate lastMonday = to.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Instant now = Instant.now();
        List<IndicatorTrend.Week> result = new ArrayList<>();
        for (int w = weeks - 1; w >= 0; w--) {
            LocalDate monday = lastMonday.minusWeeks(w);
            List<IndicatorReport.Indicator> values = compute(scope, area.code(), new Period(monday, monday.plusDays(6)), filters, now);
            IndicatorReport week = new IndicatorReport(area, monday, monday.plusDays(6), values);
            result.add(new IndicatorTrend.Week(monday, week.get("reported").numerator().longValue(), week.get("closed").numerator().longValue(),
                    (Double) week.get("closureRate").value(), (Double) week.get("onTimeClosureRate").value(), week.get("overdue").numerator().longValue()));
        }
        return new IndicatorTrend(area, result);
    }

    /** Reported, open at the period's end, closed and overdue by category or special action; by is "category" or "action". */
    public IndicatorBreakdown breakdown(CallerScope scope, String areaCode, LocalDate from, LocalDate to, String by, IndicatorFilters filters) {
        Period period = new Period(from, to);
        if (!"category".equals(by) && !"action".equals(by)) {
            throw new InvalidParameterException("by", "must be category or action");
        }
        IndicatorReport.AreaRef area = area(scope, areaCode);
        checkCodes(filters);
        List<IndicatorBreakdown.Row> rows = jdbc.sql(IndicatorQueries.BREAKDOWN)
                .params(IndicatorQueries.breakdownParameters(scope, area.code(), period, filters, by, Instant.now()))
                .query((rs, n) -> new IndicatorBreakdown.Row(rs.getString("code"), rs.getString("name"), rs.getLong("reported"),
                        rs.getLong("open"), rs.getLong("closed"), rs.getLong("overdue"))).list();
        return new IndicatorBreakdown(by, rows);
    }

    /** The heatmap's GeoJSON (hexagon bins of problems reported in the period inside the box and scope); status open, closed or all. */
    public String heatmap(CallerScope scope, BoundingBox box, int zoom, LocalDate from, LocalDate to, IndicatorFilters filters, String status) {
        Period period = new Period(from, to);
        checkCodes(filters);
        String sql = IndicatorQueries.heatmapPrecomputable(scope, zoom, period, filters) ? IndicatorQueries.HEATMAP_PRECOMPUTED
                : IndicatorQueries.HEATMAP;
        return jdbc.sql(sql).params(IndicatorQueries.heatmapParameters(scope, box, zoom, period, filters, status(status)))
                .query(String.class).single();
    }

    /** The {@code limit} fullest heatmap cells with their top categories and points, as JSON {@code {"hotspots":[...]}}. */
    public String hotspots(CallerScope scope, BoundingBox box, int zoom, LocalDate from, LocalDate to, IndicatorFilters filters, String status,
                           int limit) {
        Period period = new Period(from, to);
        checkCodes(filters);
        if (limit < 1 || limit > 50) {
            throw new InvalidParameterException("limit", limit + " is outside 1..50");
        }
        return jdbc.sql(IndicatorQueries.HOTSPOTS)
                .params(IndicatorQueries.hotspotsParameters(scope, box, zoom, period, filters, status(status), limit))
                .query(String.class).single();
    }

    private static String status(String status) {
        if (status == null || status.isBlank()) {
            return "all";
        }
        if (!List.of("open", "closed", "all").contains(status.strip())) {
            throw new InvalidParameterException("status", "'" + status + "' is not one of open, closed, all");
        }
        return status.strip();
    }

    private List<IndicatorReport.Indicator> compute(CallerScope scope, String areaCode, Period period, IndicatorFilters filters, Instant now) {
        Map<String, Object> row = jdbc.sql(IndicatorQueries.INDICATORS)
                .params(IndicatorQueries.indicatorsParameters(scope, areaCode, period, filters, now)).query().singleRow();
        long reported = count(row, "reported");
        long accepted = count(row, "accepted");
        long closed = count(row, "closed");
        long closedOnTime = count(row, "closed_on_time");
        long overdue = count(row, "overdue");
        long due = closed + overdue;
        long dispatched = count(row, "dispatched");
        long handled = count(row, "handled");
        long submits = count(row, "submits");
        long returns = count(row, "returns");
        long inspections = count(row, "inspections");
        Double scoreSum = row.get("score_sum") == null ? null : ((Number) row.get("score_sum")).doubleValue();
        Double median = row.get("median_hours") == null ? null
                : BigDecimal.valueOf(((Number) row.get("median_hours")).doubleValue()).setScale(2, RoundingMode.HALF_UP).doubleValue();
        List<IndicatorReport.Indicator> result = new ArrayList<>();
        for (Definition d : DEFINITIONS) {
            result.add(switch (d.key()) {
                case "reported" -> count(d, reported);
                case "accepted" -> count(d, accepted);
                case "closed" -> count(d, closed);
                case "closureRate" -> ratio(d, closed, due);
                case "onTimeClosureRate" -> ratio(d, closedOnTime, due);
                case "handlingRate" -> ratio(d, handled, dispatched);
                case "reworkRate" -> ratio(d, returns, submits);
                case "overdue" -> count(d, overdue);
                case "medianHoursToClose" -> new IndicatorReport.Indicator(d.key(), closed == 0 ? null : (Number) median, null, closed, d.unit(),
                        d.formulaZh(), d.formulaEn());
                case "inspectionScoreRate" -> new IndicatorReport.Indicator(d.key(),
                        inspections == 0 ? null : (Number) round(scoreSum / inspections), inspections == 0 ? 0.0 : scoreSum, inspections, d.unit(),
                        d.formulaZh(), d.formulaEn());
                default -> throw new IllegalStateException(d.key());
            });
        }
        return result;
    }

    private static IndicatorReport.Indicator count(Definition d, long n) {
        return new IndicatorReport.Indicator(d.key(), n, n, null, d.unit(), d.formulaZh(), d.formulaEn());
    }

    private static IndicatorReport.Indicator ratio(Definition d, long numerator, long denominator) {
        return new IndicatorReport.Indicator(d.key(), denominator == 0 ? null : (Number) round((double) numerator / denominator), numerator, denominator,
                d.unit(), d.formulaZh(), d.formulaEn());
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).doubleValue();
    }

    private static long count(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? 0 : ((Number) value).longValue();
    }

    IndicatorReport.AreaRef area(CallerScope scope, String code) {
        if (code == null || code.isBlank()) {
            throw new InvalidParameterException("area", "is required (an area code of 6, 9, 12 or 15 digits)");
        }
        String areaCode = code.strip();
        if (!AreaCodes.isAreaCode(areaCode)) {
            throw new InvalidParameterException("area", "'" + code + "' is not an area code (6, 9, 12 or 15 digits)");
        }
        if (!scope.covers(areaCode)) {
            throw new NotFoundException("area", areaCode);
        }
        return jdbc.sql(AREA).param("code", areaCode)
                .query((rs, n) -> new IndicatorReport.AreaRef(rs.getString(1), rs.getString(2), rs.getString(3))).optional()
                .orElseThrow(() -> new NotFoundException("area", areaCode));
    }

    private void checkCodes(IndicatorFilters filters) {
        if (filters.category() != null && jdbc.sql(CATEGORY_EXISTS).param("code", filters.category()).query(Long.class).single() == 0) {
            throw new InvalidParameterException("category", "no problem category has the code " + filters.category());
        }
        if (filters.action() != null && jdbc.sql(ACTION_EXISTS).param("code", filters.action()).query(Long.class).single() == 0) {
            throw new InvalidParameterException("action", "no special action has the code " + filters.action());
        }
    }
}

package org.civicgrid.map;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.civicgrid.problems.ProblemStatus;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The map's filters (point type, special action, category, status, traffic light, reported date range),
 * parsed from query parameters against allow-lists and bound as parameters of fixed SQL fragments.
 */
public record MapFilters(List<String> pointTypes, List<String> actions, List<String> categories, List<String> statuses,
                         List<String> lights, LocalDate from, LocalDate to) {

    /** Conditions on a problem {@code p}; every parameter is bound, a missing filter is NULL and matches all. */
    public static final String PROBLEM_CONDITIONS = """
             AND (CAST(:fStatuses AS text) IS NULL OR p.status = ANY (string_to_array(:fStatuses, ',')))
             AND (CAST(:fCategories AS text) IS NULL OR p.category_code = ANY (string_to_array(:fCategories, ',')))
             AND (CAST(:fActions AS text) IS NULL OR EXISTS (SELECT 1 FROM problem_category fc
                  WHERE fc.code = p.category_code AND fc.action_code = ANY (string_to_array(:fActions, ','))))
             AND (CAST(:fLights AS text) IS NULL
                  OR problem_light(p.status, p.warning_at, p.deadline_at, now()) = ANY (string_to_array(:fLights, ',')))
             AND (CAST(:fFrom AS date) IS NULL OR p.reported_at >= (CAST(:fFrom AS date)::timestamp AT TIME ZONE 'Asia/Shanghai'))
             AND (CAST(:fTo AS date) IS NULL OR p.reported_at < ((CAST(:fTo AS date) + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))
             AND (CAST(:fPointTypes AS text) IS NULL OR EXISTS (SELECT 1 FROM measurement_point fp
                  WHERE fp.id = p.point_id AND fp.type_code = ANY (string_to_array(:fPointTypes, ','))))
            """;

    /** Conditions on a measurement point {@code mp}. */
    public static final String POINT_CONDITIONS = """
             AND (CAST(:fPointTypes AS text) IS NULL OR mp.type_code = ANY (string_to_array(:fPointTypes, ',')))
            """;

    public static final MapFilters NONE = new MapFilters(List.of(), List.of(), List.of(), List.of(), List.of(), null, null);

    private static final int MAX_VALUES = 50;
    private static final String CODE = "[A-Z0-9_]{1,40}";
    private static final Set<String> LIGHTS = Set.of("GREEN", "YELLOW", "RED");
    private static final Set<String> STATUSES = Arrays.stream(ProblemStatus.values()).map(Enum::name).collect(Collectors.toSet());

    public MapFilters {
        pointTypes = List.copyOf(pointTypes);
        actions = List.copyOf(actions);
        categories = List.copyOf(categories);
        statuses = List.copyOf(statuses);
        lights = List.copyOf(lights);
    }

    static MapFilters parse(java.util.function.Function<String, String> parameter) {
        LocalDate from = date("from", parameter.apply("from"));
        LocalDate to = date("to", parameter.apply("to"));
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidParameterException("to", "must not be before from");
        }
        return new MapFilters(codes("pointType", parameter.apply("pointType")), codes("action", parameter.apply("action")),
                codes("category", parameter.apply("category")), allowed("status", parameter.apply("status"), STATUSES),
                allowed("light", parameter.apply("light"), LIGHTS), from, to);
    }

    /** Binds every filter parameter of {@link #PROBLEM_CONDITIONS} and {@link #POINT_CONDITIONS}. */
    public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
        return statement.param("fStatuses", joined(statuses)).param("fCategories", joined(categories)).param("fActions", joined(actions))
                .param("fLights", joined(lights)).param("fFrom", from).param("fTo", to).param("fPointTypes", joined(pointTypes));
    }

    /** True when no filter is set: the answer covers every problem and point in scope. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** A stable text of the filters, for cache keys. */
    public String key() {
        return String.join("|", joined(pointTypes) + "", joined(actions) + "", joined(categories) + "", joined(statuses) + "",
                joined(lights) + "", String.valueOf(from), String.valueOf(to));
    }

    private static String joined(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }

    private static List<String> codes(String name, String text) {
        List<String> values = split(name, text);
        for (String value : values) {
            if (!value.matches(CODE)) {
                throw new InvalidParameterException(name, "'" + value + "' is not a code (capital letters, digits, _)");
            }
        }
        return values;
    }

    private static List<String> allowed(String name, String text, Set<String> allowed) {
        List<String> values = split(name, text);
        for (String value : values) {
            if (!allowed.contains(value)) {
                throw new InvalidParameterException(name, "'" + value + "' is not one of " + allowed.stream().sorted().toList());
            }
        }
        return values;
    }

    private static List<String> split(String name, String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> values = Arrays.stream(text.split(",")).map(String::strip).filter(v -> !v.isEmpty()).distinct().sorted().toList();
        if (values.size() > MAX_VALUES) {
            throw new InvalidParameterException(name, "at most " + MAX_VALUES + " values");
        }
        return values;
    }

    private static LocalDate date(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name, "'" + text + "' is not a date like 2026-11-30");
        }
    }
}

package org.civicgrid.data;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** The reference vocabularies packaged under {@code civicgrid/vocab/} on the classpath, in file order. */
public final class Vocabulary {

    public static final String RESOURCE_DIR = "civicgrid/vocab/";

    private final Map<String, PointType> pointTypes;
    private final Map<String, Department> departments;
    private final Map<String, SpecialAction> specialActions;
    private final Map<String, ProblemCategory> problemCategories;

    private Vocabulary(List<PointType> pointTypes, List<Department> departments,
            List<SpecialAction> specialActions, List<ProblemCategory> problemCategories) {
        this.pointTypes = byCode(pointTypes, PointType::code);
        this.departments = byCode(departments, Department::code);
        this.specialActions = byCode(specialActions, SpecialAction::code);
        this.problemCategories = byCode(problemCategories, ProblemCategory::code);
    }

    public static Vocabulary load() {
        List<PointType> pointTypes = read("point-types.csv").stream().map(r -> new PointType(r.get("code"),
                r.get("name_zh"), r.get("name_en"), r.get("group_code"), GeometryKind.valueOf(r.get("geometry_kind")),
                r.get("color"), r.get("glyph"), Integer.parseInt(r.get("sort_order")))).toList();
        List<Department> departments = read("departments.csv").stream().map(r -> new Department(r.get("code"),
                r.get("name_zh"), r.get("name_en"), r.get("kind"))).toList();
        List<SpecialAction> actions = read("special-actions.csv").stream().map(r -> new SpecialAction(r.get("code"),
                r.get("name_zh"), r.get("name_en"), r.get("lead_leader"), splitCodes(r.get("department_codes")),
                Integer.parseInt(r.get("sort_order")))).toList();
        List<ProblemCategory> categories = read("problem-categories.csv").stream().map(r -> new ProblemCategory(
                r.get("code"), r.get("name_zh"), r.get("name_en"), r.get("action_code"),
                Integer.parseInt(r.get("time_limit_hours")), r.get("event_class"),
                r.get("default_department_code"))).toList();
        return new Vocabulary(pointTypes, departments, actions, categories);
    }

    public List<PointType> pointTypes() {
        return List.copyOf(pointTypes.values());
    }

    public List<Department> departments() {
        return List.copyOf(departments.values());
    }

    public List<SpecialAction> specialActions() {
        return List.copyOf(specialActions.values());
    }

    public List<ProblemCategory> problemCategories() {
        return List.copyOf(problemCategories.values());
    }

    public PointType pointType(String code) {
        return require(pointTypes, code, "point type");
    }

    public Department department(String code) {
        return require(departments, code, "department");
    }

    public SpecialAction specialAction(String code) {
        return require(specialActions, code, "special action");
    }

    public ProblemCategory problemCategory(String code) {
        return require(problemCategories, code, "problem category");
    }

    public boolean hasDepartment(String code) {
        return departments.containsKey(code);
    }

    private static List<Map<String, String>> read(String file) {
        InputStream in = Vocabulary.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file);
        if (in == null) {
            throw new IllegalStateException("missing classpath resource " + RESOURCE_DIR + file);
        }
        return Csv.readTable(in);
    }

    private static List<String> splitCodes(String value) {
        return value.isEmpty() ? List.of() : Arrays.stream(value.split(";")).map(String::trim).toList();
    }

    private static <T> Map<String, T> byCode(List<T> rows, Function<T, String> code) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T row : rows) {
            if (map.put(code.apply(row), row) != null) {
                throw new IllegalStateException("duplicate code " + code.apply(row));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static <T> T require(Map<String, T> map, String code, String what) {
        T value = map.get(code);
        if (value == null) {
            throw new NoSuchElementException("unknown " + what + " " + code);
        }
        return value;
    }
}

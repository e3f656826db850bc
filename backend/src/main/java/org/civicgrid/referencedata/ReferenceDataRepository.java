package org.civicgrid.referencedata;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Inserts vocabulary rows that are missing; rows already present (perhaps edited by an admin) stay as they are. */
@Repository
class ReferenceDataRepository {

    static final String INSERT_DEPARTMENT = """
            INSERT INTO department (code, name_zh, name_en, kind) VALUES (?, ?, ?, ?)
            ON CONFLICT (code) DO NOTHING""";
    static final String INSERT_SPECIAL_ACTION = """
            INSERT INTO special_action (code, name_zh, name_en, lead_leader, sort_order) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (code) DO NOTHING""";
    static final String INSERT_ACTION_DEPARTMENT = """
            INSERT INTO special_action_department (action_code, department_code) VALUES (?, ?)
            ON CONFLICT DO NOTHING""";
    static final String INSERT_CATEGORY = """
            INSERT INTO problem_category (code, name_zh, name_en, action_code, time_limit_hours, event_class, default_department_code)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (code) DO NOTHING""";
    static final String INSERT_POINT_TYPE = """
            INSERT INTO point_type (code, name_zh, name_en, group_code, geometry_kind, color, glyph, sort_order)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (code) DO NOTHING""";
    static final String INSERT_CHECKLIST_ITEM = """
            INSERT INTO checklist_item (code, point_type_code, sort_order, text_zh, text_en, category_code)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (code) DO NOTHING""";
    static final String INSERT_CALENDAR_DAY = """
            INSERT INTO calendar_day (day, kind, name) VALUES (?::date, ?, ?)
            ON CONFLICT (day) DO NOTHING""";
    static final String SELECT_POINT_TYPES = """
            SELECT code, name_zh, name_en, group_code, geometry_kind, color, glyph
            FROM point_type ORDER BY sort_order, code""";

    static final String SELECT_CATEGORIES = """
            SELECT c.code, c.name_zh, c.name_en, c.action_code, a.name_zh AS action_name_zh, a.name_en AS action_name_en,
                   c.time_limit_hours, c.default_department_code
            FROM problem_category c JOIN special_action a ON a.code = c.action_code ORDER BY a.sort_order, c.code""";
    static final String SELECT_DEPARTMENTS = "SELECT code, name_zh, name_en, kind FROM department ORDER BY code";

    private final JdbcTemplate jdbc;
    private final JdbcClient client;

    ReferenceDataRepository(JdbcTemplate jdbc, JdbcClient client) {
        this.jdbc = jdbc;
        this.client = client;
    }

    void insertMissing(String sql, List<Object[]> rows) {
        jdbc.batchUpdate(sql, rows);
    }

    List<PointTypeView> pointTypes() {
        return client.sql(SELECT_POINT_TYPES)
                .query((rs, n) -> new PointTypeView(rs.getString("code"), rs.getString("name_zh"), rs.getString("name_en"),
                        rs.getString("group_code"), rs.getString("geometry_kind"), rs.getString("color"), rs.getString("glyph")))
                .list();
    }

    List<DepartmentView> departments() {
        return client.sql(SELECT_DEPARTMENTS)
                .query((rs, n) -> new DepartmentView(rs.getString("code"), rs.getString("name_zh"), rs.getString("name_en"), rs.getString("kind")))
                .list();
    }

    List<CategoryView> categories() {
        return client.sql(SELECT_CATEGORIES)
                .query((rs, n) -> new CategoryView(rs.getString("code"), rs.getString("name_zh"), rs.getString("name_en"), rs.getString("action_code"),
                        rs.getString("action_name_zh"), rs.getString("action_name_en"), rs.getDouble("time_limit_hours"),
                        rs.getString("default_department_code")))
                .list();
    }

    static Object[] row(Map<String, String> csv, String... columns) {
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = CsvResource.blankToNull(csv.get(columns[i]));
        }
        return values;
    }
}

package org.civicgrid.inspections;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Checklist items as admins edit them. */
@Repository
class ChecklistRepository {

    static final String ITEM = "SELECT code, point_type_code, sort_order, text_zh, text_en, category_code, active FROM checklist_item WHERE code = :code";
    static final String UPDATE = """
            UPDATE checklist_item SET sort_order = :sortOrder, text_zh = :textZh, text_en = :textEn, category_code = :category, active = :active
            WHERE code = :code""";
    static final String INSERT = """
            INSERT INTO checklist_item (code, point_type_code, sort_order, text_zh, text_en, category_code, active)
            VALUES (:code, :type, :sortOrder, :textZh, :textEn, :category, true)""";
    static final String CATEGORY_EXISTS = "SELECT count(*) FROM problem_category WHERE code = :code";
    static final String TYPE_EXISTS = "SELECT count(*) FROM point_type WHERE code = :code";

    private final JdbcClient jdbc;

    ChecklistRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<InspectionViews.ChecklistItem> find(String code) {
        return jdbc.sql(ITEM).param("code", code)
                .query((rs, n) -> new InspectionViews.ChecklistItem(rs.getString("code"), rs.getString("point_type_code"), rs.getInt("sort_order"),
                        rs.getString("text_zh"), rs.getString("text_en"), rs.getString("category_code"), rs.getBoolean("active")))
                .optional();
    }

    void update(String code, int sortOrder, String textZh, String textEn, String categoryCode, boolean active) {
        jdbc.sql(UPDATE).param("code", code).param("sortOrder", sortOrder).param("textZh", textZh).param("textEn", textEn)
                .param("category", categoryCode).param("active", active).update();
    }

    void insert(String code, String pointTypeCode, int sortOrder, String textZh, String textEn, String categoryCode) {
        jdbc.sql(INSERT).param("code", code).param("type", pointTypeCode).param("sortOrder", sortOrder).param("textZh", textZh)
                .param("textEn", textEn).param("category", categoryCode).update();
    }

    boolean categoryExists(String code) {
        return jdbc.sql(CATEGORY_EXISTS).param("code", code).query(Long.class).single() > 0;
    }

    boolean pointTypeExists(String code) {
        return jdbc.sql(TYPE_EXISTS).param("code", code).query(Long.class).single() > 0;
    }
}

package org.civicgrid.areas;

import java.util.List;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The caller's areas as a flat list (no geometry): for pickers, breadcrumbs and search. */
@Repository
class AreaDirectoryRepository {

    static final String AREAS_IN_SCOPE = """
            SELECT code, name, level, parent_code FROM (
                SELECT code, name, 'DISTRICT' AS level, NULL AS parent_code FROM district
                UNION ALL SELECT code, name, 'STREET', district_code FROM street
                UNION ALL SELECT code, name, 'COMMUNITY', street_code FROM community
                UNION ALL SELECT code, name, 'GRID', community_code FROM grid WHERE valid_to IS NULL) a
            WHERE a.code LIKE ANY (string_to_array(:scope, ','))
            ORDER BY a.code""";

    record AreaEntry(String code, String name, String level, String parentCode) {
    }

    private final JdbcClient jdbc;

    AreaDirectoryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<AreaEntry> areas(CallerScope scope) {
        return jdbc.sql(AREAS_IN_SCOPE).param("scope", scope.codePatterns())
                .query((rs, n) -> new AreaEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))).list();
    }
}

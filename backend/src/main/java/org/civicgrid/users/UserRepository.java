package org.civicgrid.users;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.civicgrid.areas.AreaCodes;
import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Users as an admin manages them. An admin sees the users whose every scope lies inside the admin's
 * own scope (and users without any scope yet); anyone else answers as not found.
 */
@Repository
class UserRepository {

    private static final String USER_COLUMNS = """
            SELECT u.id, u.username, u.display_name, u.phone, u.enabled, u.department_code, u.created_at, u.must_change_password,
                   (u.locked_until IS NOT NULL AND u.locked_until > now()) AS locked,
                   array(SELECT r.role FROM user_role r WHERE r.user_id = u.id ORDER BY r.role) AS roles,
                   array(SELECT s.area_code FROM user_area_scope s WHERE s.user_id = u.id ORDER BY s.area_code) AS scope
            FROM app_user u
            """;
    private static final String IN_ADMIN_SCOPE = """
            NOT EXISTS (SELECT 1 FROM user_area_scope s WHERE s.user_id = u.id
                        AND NOT s.area_code LIKE ANY (string_to_array(:scope, ',')))""";

    static final String LIST = USER_COLUMNS + " WHERE " + IN_ADMIN_SCOPE + """
             AND (CAST(:query AS text) IS NULL OR u.username ILIKE :query OR u.display_name ILIKE :query)
             AND (CAST(:role AS text) IS NULL OR EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = :role))
            ORDER BY u.username LIMIT :limit OFFSET :offset""";
    static final String BY_ID = USER_COLUMNS + " WHERE u.id = :id AND " + IN_ADMIN_SCOPE;
    static final String BY_ID_UNSCOPED = USER_COLUMNS + " WHERE u.id = :id";
    static final String INSERT = """
            INSERT INTO app_user (username, display_name, phone, password_hash, department_code, must_change_password, password_changed_at)
            VALUES (:username, :displayName, :phone, :hash, :department, true, now()) RETURNING id""";
    static final String USERNAME_TAKEN = "SELECT count(*) FROM app_user WHERE lower(username) = lower(:username)";
    static final String UPDATE = """
            UPDATE app_user SET display_name = :displayName, phone = :phone, enabled = :enabled, department_code = :department
            WHERE id = :id""";
    static final String DELETE_ROLES = "DELETE FROM user_role WHERE user_id = :id";
    static final String INSERT_ROLE = "INSERT INTO user_role (user_id, role) VALUES (:id, :role)";
    static final String DELETE_SCOPES = "DELETE FROM user_area_scope WHERE user_id = :id";
    static final String INSERT_SCOPE = "INSERT INTO user_area_scope (user_id, area_level, area_code) VALUES (:id, :level, :code)";
    static final String AREA_EXISTS = """
            SELECT count(*) FROM (SELECT code FROM district UNION ALL SELECT code FROM street UNION ALL SELECT code FROM community
                                  UNION ALL SELECT code FROM grid WHERE valid_to IS NULL) a WHERE a.code = :code""";
    static final String DEPARTMENT_EXISTS = "SELECT count(*) FROM department WHERE code = :code";
    static final String PASSWORD_HASH = "SELECT password_hash FROM app_user WHERE id = :id";
    static final String SET_PASSWORD = """
            UPDATE app_user SET password_hash = :hash, must_change_password = :mustChange, password_changed_at = now(),
                                failed_logins = 0, locked_until = NULL
            WHERE id = :id""";

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<UserView> list(CallerScope adminScope, String query, String role, int limit, int offset) {
        return jdbc.sql(LIST).param("scope", adminScope.codePatterns())
                .param("query", query == null || query.isBlank() ? null : "%" + query.strip() + "%")
                .param("role", role).param("limit", limit).param("offset", offset)
                .query(UserRepository::user).list();
    }

    Optional<UserView> find(long id, CallerScope adminScope) {
        return jdbc.sql(BY_ID).param("id", id).param("scope", adminScope.codePatterns()).query(UserRepository::user).optional();
    }

    Optional<UserView> find(long id) {
        return jdbc.sql(BY_ID_UNSCOPED).param("id", id).query(UserRepository::user).optional();
    }

    boolean usernameTaken(String username) {
        return jdbc.sql(USERNAME_TAKEN).param("username", username).query(Long.class).single() > 0;
    }

    long insert(UserRequests.CreateUser request, String passwordHash) {
        return jdbc.sql(INSERT).param("username", request.username()).param("displayName", request.displayName().strip())
                .param("phone", blankToNull(request.phone())).param("hash", passwordHash)
                .param("department", blankToNull(request.departmentCode())).query(Long.class).single();
    }

    void update(long id, UserRequests.UpdateUser request) {
        jdbc.sql(UPDATE).param("id", id).param("displayName", request.displayName().strip()).param("phone", blankToNull(request.phone()))
                .param("enabled", request.enabled()).param("department", blankToNull(request.departmentCode())).update();
    }

    void replaceRolesAndScopes(long id, List<String> roles, List<String> scopeCodes) {
        jdbc.sql(DELETE_ROLES).param("id", id).update();
        roles.stream().distinct().forEach(role -> jdbc.sql(INSERT_ROLE).param("id", id).param("role", role).update());
        jdbc.sql(DELETE_SCOPES).param("id", id).update();
        scopeCodes.stream().distinct().forEach(code ->
                jdbc.sql(INSERT_SCOPE).param("id", id).param("level", AreaCodes.levelOf(code)).param("code", code).update());
    }

    boolean areaExists(String code) {
        return jdbc.sql(AREA_EXISTS).param("code", code).query(Long.class).single() > 0;
    }

    boolean departmentExists(String code) {
        return jdbc.sql(DEPARTMENT_EXISTS).param("code", code).query(Long.class).single() > 0;
    }

    Optional<String> passwordHash(long id) {
        return jdbc.sql(PASSWORD_HASH).param("id", id).query(String.class).optional();
    }

    void setPassword(long id, String hash, boolean mustChange) {
        jdbc.sql(SET_PASSWORD).param("id", id).param("hash", hash).param("mustChange", mustChange).update();
    }


    private static UserView user(ResultSet rs, int row) throws SQLException {
        return new UserView(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"), rs.getString("phone"),
                rs.getBoolean("enabled"), strings(rs.getArray("roles")), strings(rs.getArray("scope")), rs.getString("department_code"),
                rs.getBoolean("locked"), rs.getBoolean("must_change_password"), rs.getTimestamp("created_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

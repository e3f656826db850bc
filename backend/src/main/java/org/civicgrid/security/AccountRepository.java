package org.civicgrid.security;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads accounts for sign-in and per-request identity; records failed and successful sign-ins. */
@Repository
class AccountRepository {

    /** The columns {@link #account} reads, of an {@code app_user u}. */
    static final String ACCOUNT_COLUMNS = """
            SELECT u.id, u.username, u.display_name, u.password_hash, u.enabled, u.locked_until, u.failed_logins, u.department_code, u.must_change_password,
                   array(SELECT r.role FROM user_role r WHERE r.user_id = u.id ORDER BY r.role) AS roles,
                   array(SELECT s.area_code FROM user_area_scope s WHERE s.user_id = u.id ORDER BY s.area_code) AS scope,
                   EXISTS (SELECT 1 FROM district)
                       AND (SELECT count(*) FROM user_area_scope s JOIN district d ON d.code = s.area_code WHERE s.user_id = u.id)
                           = (SELECT count(*) FROM district) AS whole_city
            """;
    static final String ACCOUNT_BY_USERNAME = ACCOUNT_COLUMNS + "FROM app_user u WHERE u.username = :username";
    static final String ACCOUNT_BY_ID = ACCOUNT_COLUMNS + "FROM app_user u WHERE u.id = :id";
    static final String RECORD_FAILURE = """
            UPDATE app_user
            SET failed_logins = failed_logins + 1,
                locked_until = CASE WHEN failed_logins + 1 >= :maxFailures THEN now() + make_interval(secs => :lockSeconds)
                                    ELSE locked_until END
            WHERE username = :username
            RETURNING failed_logins, locked_until""";
    static final String RECORD_SUCCESS = "UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = :id";

    record Account(long id, String username, String displayName, String passwordHash, boolean enabled, Instant lockedUntil,
                   int failedLogins, String departmentCode, Set<Role> roles, List<String> scope, boolean mustChangePassword,
                   boolean wholeCity) {

        boolean lockedAt(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }

    record FailureCount(int failedLogins, Instant lockedUntil) {
    }

    private final JdbcClient jdbc;

    AccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Account> byUsername(String username) {
        return jdbc.sql(ACCOUNT_BY_USERNAME).param("username", username).query(AccountRepository::account).optional();
    }

    Optional<Account> byId(long id) {
        return jdbc.sql(ACCOUNT_BY_ID).param("id", id).query(AccountRepository::account).optional();
    }

    Optional<FailureCount> recordFailure(String username, int maxFailures, long lockSeconds) {
        return jdbc.sql(RECORD_FAILURE).param("username", username).param("maxFailures", maxFailures).param("lockSeconds", lockSeconds)
                .query((rs, n) -> new FailureCount(rs.getInt(1), instant(rs.getTimestamp(2)))).optional();
    }

    void recordSuccess(long id) {
        jdbc.sql(RECORD_SUCCESS).param("id", id).update();
    }

    static Account account(ResultSet rs, int row) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String role : strings(rs.getArray("roles"))) {
            roles.add(Role.valueOf(role));
        }
        return new Account(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"), rs.getString("password_hash"),
                rs.getBoolean("enabled"), instant(rs.getTimestamp("locked_until")), rs.getInt("failed_logins"),
                rs.getString("department_code"), roles, List.of(strings(rs.getArray("scope"))),
                rs.getBoolean("must_change_password"), rs.getBoolean("whole_city"));
    }

    private static String[] strings(Array array) throws SQLException {
        return array == null ? new String[0] : Arrays.copyOf((Object[]) array.getArray(), ((Object[]) array.getArray()).length, String[].class);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

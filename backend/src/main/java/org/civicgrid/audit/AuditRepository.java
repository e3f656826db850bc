package org.civicgrid.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Browsing the audit log. Leaders see entries about objects in their area; admins also see the
 * entries that belong to no area (accounts, tokens).
 */
@Repository
class AuditRepository {

    static final String SEARCH = """
            SELECT id, occurred_at, actor, action, object_type, object_id, area_code,
                   before_state::text AS before_state, after_state::text AS after_state, client_address
            FROM audit_log
            WHERE (area_code LIKE ANY (string_to_array(:scope, ',')) OR (:includeArealess AND area_code IS NULL))
              AND (CAST(:actor AS text) IS NULL OR actor = :actor)
              AND (CAST(:action AS text) IS NULL OR action = :action)
              AND (CAST(:objectType AS text) IS NULL OR object_type = :objectType)
              AND (CAST(:objectId AS text) IS NULL OR object_id = :objectId)
              AND (CAST(:from AS timestamptz) IS NULL OR occurred_at >= :from)
              AND (CAST(:to AS timestamptz) IS NULL OR occurred_at < :to)
            ORDER BY occurred_at DESC, id DESC
            LIMIT :limit OFFSET :offset""";

    record Filter(String actor, String action, String objectType, String objectId, Instant from, Instant to, int limit, int offset) {
    }

    private final JdbcClient jdbc;

    AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<AuditEntry> search(String scopePatterns, boolean includeArealess, Filter filter) {
        return jdbc.sql(SEARCH).param("scope", scopePatterns).param("includeArealess", includeArealess)
                .param("actor", filter.actor()).param("action", filter.action()).param("objectType", filter.objectType())
                .param("objectId", filter.objectId()).param("from", timestamp(filter.from())).param("to", timestamp(filter.to()))
                .param("limit", filter.limit()).param("offset", filter.offset())
                .query((rs, n) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("actor"),
                        rs.getString("action"), rs.getString("object_type"), rs.getString("object_id"), rs.getString("area_code"),
                        rs.getString("before_state"), rs.getString("after_state"), rs.getString("client_address")))
                .list();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}

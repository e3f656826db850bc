package org.civicgrid.campaign;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The campaign (one row), its phases, and the 问题清零 counts by area. */
@Repository
class CampaignRepository {

    static final String CAMPAIGN = "SELECT name, evaluation_date FROM campaign WHERE id = 1";
    static final String PHASES = """
            SELECT code, name_zh, name_en, starts_on, ends_on FROM campaign_phase WHERE campaign_id = 1 ORDER BY sort_order""";
    static final String UPSERT_CAMPAIGN = """
            INSERT INTO campaign (id, name, evaluation_date) VALUES (1, :name, :evaluationDate)
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, evaluation_date = EXCLUDED.evaluation_date""";
    static final String DELETE_PHASES = "DELETE FROM campaign_phase WHERE campaign_id = 1";
    static final String INSERT_PHASE = """
            INSERT INTO campaign_phase (campaign_id, code, name_zh, name_en, starts_on, ends_on, sort_order)
            VALUES (1, :code, :nameZh, :nameEn, :startsOn, :endsOn, :sortOrder)""";

    /**
     * Per area of the level in scope: open now, open and overdue now, open with a deadline after the evaluation date,
     * and closed / open among the problems reported since the campaign started.
     */
    static final String CLEARANCE = """
            WITH areas AS (
                SELECT code, name FROM street WHERE :level = 'street' AND code LIKE ANY (string_to_array(:scope, ',')) AND code LIKE :within
                UNION ALL SELECT code, name FROM community
                    WHERE :level = 'community' AND code LIKE ANY (string_to_array(:scope, ',')) AND code LIKE :within
                UNION ALL SELECT code, name FROM grid
                    WHERE :level = 'grid' AND valid_to IS NULL AND code LIKE ANY (string_to_array(:scope, ',')) AND code LIKE :within),
            counts AS (
                SELECT left(g.code, :codeLength) AS code,
                       count(*) FILTER (WHERE problem_is_open(p.status)) AS open,
                       count(*) FILTER (WHERE problem_is_open(p.status) AND p.status <> 'SUSPENDED' AND p.deadline_at < :now) AS overdue,
                       count(*) FILTER (WHERE problem_is_open(p.status) AND p.deadline_at >= :afterEvaluation) AS late,
                       count(*) FILTER (WHERE p.status = 'CLOSED' AND p.reported_at >= :campaignStart) AS closed_since,
                       count(*) FILTER (WHERE problem_is_open(p.status) AND p.reported_at >= :campaignStart) AS open_since
                FROM problem p JOIN grid g ON g.id = p.grid_id
                WHERE g.code LIKE ANY (string_to_array(:scope, ',')) AND g.code LIKE :within
                  AND (problem_is_open(p.status) OR (p.status = 'CLOSED' AND p.reported_at >= :campaignStart))
                GROUP BY 1)
            SELECT a.code, a.name, coalesce(c.open, 0) AS open, coalesce(c.overdue, 0) AS overdue, coalesce(c.late, 0) AS late,
                   coalesce(c.closed_since, 0) AS closed_since, coalesce(c.open_since, 0) AS open_since
            FROM areas a LEFT JOIN counts c ON c.code = a.code
            ORDER BY open DESC, a.code""";

    record Campaign(String name, LocalDate evaluationDate) {
    }

    record Phase(String code, String nameZh, String nameEn, LocalDate startsOn, LocalDate endsOn) {
    }

    record AreaCounts(String code, String name, long open, long overdue, long late, long closedSince, long openSince) {
    }

    private final JdbcClient jdbc;

    CampaignRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Campaign> campaign() {
        return jdbc.sql(CAMPAIGN).query((rs, n) -> new Campaign(rs.getString(1), rs.getObject(2, LocalDate.class))).optional();
    }

    List<Phase> phases() {
        return jdbc.sql(PHASES).query((rs, n) -> new Phase(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getObject(4, LocalDate.class), rs.getObject(5, LocalDate.class))).list();
    }

    void save(Campaign campaign, List<Phase> phases) {
        jdbc.sql(UPSERT_CAMPAIGN).param("name", campaign.name()).param("evaluationDate", campaign.evaluationDate()).update();
        jdbc.sql(DELETE_PHASES).update();
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            jdbc.sql(INSERT_PHASE).param("code", p.code()).param("nameZh", p.nameZh()).param("nameEn", p.nameEn())
                    .param("startsOn", p.startsOn()).param("endsOn", p.endsOn()).param("sortOrder", i + 1).update();
        }
    }

    List<AreaCounts> clearance(String level, int codeLength, String within, CallerScope scope, Instant now, Instant afterEvaluation,
                               Instant campaignStart) {
        return jdbc.sql(CLEARANCE).param("level", level).param("codeLength", codeLength).param("within", within + "%")
                .param("scope", scope.codePatterns()).param("now", now.atOffset(ZoneOffset.UTC))
                .param("afterEvaluation", afterEvaluation.atOffset(ZoneOffset.UTC)).param("campaignStart", campaignStart.atOffset(ZoneOffset.UTC))
                .query((rs, n) -> new AreaCounts(rs.getString("code"), rs.getString("name"), rs.getLong("open"), rs.getLong("overdue"),
                        rs.getLong("late"), rs.getLong("closed_since"), rs.getLong("open_since")))
                .list();
    }
}

package org.civicgrid.campaign;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.ranking.RankingService;
import org.civicgrid.security.CallerScope;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The campaign's phases and countdown (倒排时序), and the 问题清零 tracker. Days are Asia/Shanghai calendar days. */
@Service
public class CampaignService {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final List<String> PHASE_ORDER = List.of("DEPLOY", "ASSAULT", "CONSOLIDATE");
    static final Map<String, String[]> PHASE_NAMES = Map.of("DEPLOY", new String[] {"部署阶段", "Deployment"},
            "ASSAULT", new String[] {"攻坚阶段", "Assault"}, "CONSOLIDATE", new String[] {"巩固阶段", "Consolidation"});
    private static final Map<String, Integer> LEVELS = Map.of("street", 9, "community", 12, "grid", 15);

    public record Phase(String code, String nameZh, String nameEn, LocalDate startsOn, LocalDate endsOn, boolean current) {
    }

    /** The campaign; daysLeft = evaluationDate − today (negative after the evaluation). */
    public record Campaign(String name, LocalDate evaluationDate, long daysLeft, List<Phase> phases) {
    }

    public record ClearanceRow(String code, String name, long open, long overdue, long deadlineAfterEvaluation, Double clearedShare) {
    }

    public record Clearance(LocalDate evaluationDate, long daysLeft, List<ClearanceRow> rows, ClearanceRow total) {
    }

    private final CampaignRepository repository;
    private final RankingService rankings;
    private final AuditTrail audit;
    private final Clock clock;

    CampaignService(CampaignRepository repository, RankingService rankings, AuditTrail audit, ObjectProvider<Clock> clock) {
        this.repository = repository;
        this.rankings = rankings;
        this.audit = audit;
        this.clock = clock.getIfAvailable(() -> Clock.system(ZONE));
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(ZONE));
    }

    public Campaign campaign() {
        CampaignRepository.Campaign c = repository.campaign().orElseThrow(() -> new NotFoundException("campaign", "(none configured)"));
        LocalDate today = today();
        List<Phase> phases = repository.phases().stream().map(p -> new Phase(p.code(), p.nameZh(), p.nameEn(), p.startsOn(), p.endsOn(),
                !today.isBefore(p.startsOn()) && !today.isAfter(p.endsOn()))).toList();
        return new Campaign(c.name(), c.evaluationDate(), ChronoUnit.DAYS.between(today, c.evaluationDate()), phases);
    }

    @Transactional
    Campaign save(String name, LocalDate evaluationDate, List<CampaignRepository.Phase> phases) {
        if (name == null || name.isBlank()) {
            throw new InvalidParameterException("name", "is required");
        }
        if (evaluationDate == null) {
            throw new InvalidParameterException("evaluationDate", "is required (YYYY-MM-DD)");
        }
        if (phases.isEmpty()) {
            throw new InvalidParameterException("phases", "at least one phase is required");
        }
        List<CampaignRepository.Phase> complete = new ArrayList<>();
        int lastOrder = -1;
        LocalDate lastEnd = null;
        for (int i = 0; i < phases.size(); i++) {
            CampaignRepository.Phase p = phases.get(i);
            String field = "phases[" + i + "]";
            int order = PHASE_ORDER.indexOf(p.code());
            if (order < 0) {
                throw new InvalidParameterException(field + ".code", "'" + p.code() + "' is not one of " + String.join(", ", PHASE_ORDER));
            }
            if (order <= lastOrder) {
                throw new InvalidParameterException(field + ".code", "phases go DEPLOY → ASSAULT → CONSOLIDATE, each once");
            }
            if (p.startsOn() == null) {
                throw new InvalidParameterException(field + ".startsOn", "is required (YYYY-MM-DD)");
            }
            if (p.endsOn() == null) {
                throw new InvalidParameterException(field + ".endsOn", "is required (YYYY-MM-DD)");
            }
            if (p.endsOn().isBefore(p.startsOn())) {
                throw new InvalidParameterException(field + ".endsOn", "is before the phase's start " + p.startsOn());
            }
            if (lastEnd != null && !p.startsOn().isAfter(lastEnd)) {
                throw new InvalidParameterException(field + ".startsOn", "overlaps the previous phase ending " + lastEnd);
            }
            if (p.endsOn().isAfter(evaluationDate)) {
                throw new InvalidParameterException(field + ".endsOn", "is after the evaluation date " + evaluationDate);
            }
            String[] names = PHASE_NAMES.get(p.code());
            complete.add(new CampaignRepository.Phase(p.code(), blankTo(p.nameZh(), names[0]), blankTo(p.nameEn(), names[1]), p.startsOn(),
                    p.endsOn()));
            lastOrder = order;
            lastEnd = p.endsOn();
        }
        Campaign before = repository.campaign().isPresent() ? campaign() : null;
        repository.save(new CampaignRepository.Campaign(name.strip(), evaluationDate), complete);
        Campaign after = campaign();
        audit.record("CAMPAIGN_CHANGED", "campaign", 1, null, before, after);
        return after;
    }

    private static String blankTo(String text, String fallback) {
        return text == null || text.isBlank() ? fallback : text.strip();
    }

    /**
     * 问题清零 by area of {@code level} ("street", "community", "grid") inside the caller's scope (and {@code within}):
     * open = open problems now; overdue = open, not suspended, past the deadline now; deadlineAfterEvaluation = open with a
     * deadline after the evaluation day (Asia/Shanghai); clearedShare = closed / (closed + open) of the problems reported
     * since the first phase started (null when there are none). Sorted by open, most first, then code.
     */
    public Clearance clearance(CallerScope scope, String level, String within) {
        Integer codeLength = LEVELS.get(level);
        if (codeLength == null) {
            throw new InvalidParameterException("level", "'" + level + "' is not one of street, community, grid");
        }
        String prefix = within == null || within.isBlank() ? "" : rankings.checkedArea(scope, within.strip());
        Campaign campaign = campaign();
        LocalDate start = campaign.phases().stream().map(Phase::startsOn).min(LocalDate::compareTo).orElse(campaign.evaluationDate());
        List<CampaignRepository.AreaCounts> counts = repository.clearance(level, codeLength, prefix, scope, clock.instant(),
                campaign.evaluationDate().plusDays(1).atStartOfDay(ZONE).toInstant(), start.atStartOfDay(ZONE).toInstant());
        List<ClearanceRow> rows = new ArrayList<>();
        long open = 0, overdue = 0, late = 0, closedSince = 0, openSince = 0;
        for (CampaignRepository.AreaCounts c : counts) {
            rows.add(new ClearanceRow(c.code(), c.name(), c.open(), c.overdue(), c.late(), share(c.closedSince(), c.openSince())));
            open += c.open();
            overdue += c.overdue();
            late += c.late();
            closedSince += c.closedSince();
            openSince += c.openSince();
        }
        ClearanceRow total = new ClearanceRow(prefix.isEmpty() ? null : prefix, "合计", open, overdue, late, share(closedSince, openSince));
        return new Clearance(campaign.evaluationDate(), campaign.daysLeft(), rows, total);
    }

    private static Double share(long closed, long open) {
        return closed + open == 0 ? null : Math.round(10000.0 * closed / (closed + open)) / 10000.0;
    }
}

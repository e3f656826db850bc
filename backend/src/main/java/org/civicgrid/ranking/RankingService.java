package org.civicgrid.ranking;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.civicgrid.areas.AreaCodes;
import org.civicgrid.audit.AuditTrail;
import org.civicgrid.security.CallerScope;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The weekly ranking (一周一排名), domain.md §7. Public: the weekly bulletin asks it for the same rows as the dashboard.
 *
 * <p>For a Monday-based week in Asia/Shanghai ([Mon 00:00, next Mon 00:00)) each peer gets:
 * <ul>
 * <li>closureRate = closed in the week / (closed in the week + open and overdue at the week's end);</li>
 * <li>onTimeClosureRate = closed in the week no later than the deadline / the same denominator;</li>
 * <li>reworkRate = RETURN events in the week / verdicts on submissions in the week (CLOSE + RETURN events);</li>
 * <li>inspectionScoreRate = average score_rate of inspections submitted in the week;</li>
 * <li>externalScore = Σ score / Σ max_score of imported external evaluations of the area's points dated in the
 *     365 days up to the week's Sunday.</li>
 * </ul>
 * A rate without a denominator (nothing to close, no verdict, no inspection, no evaluation) is missing: it is left out and
 * the weights of the present components re-normalised, score = 100 × Σ wᵢ·vᵢ / Σ wᵢ over present components, with
 * v = 1 − reworkRate for rework (lower is better). "Open and overdue at the week's end" = not closed by then, not
 * rejected nor suspended (current status), with a deadline before the week's end. Departments have no inspection or
 * external component. Scores are rounded to 2 decimals; equal rounded scores share a rank (1, 2, 2, 4) and are ordered
 * by code; peers without any component share the last rank.
 */
@Service
public class RankingService {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final RankingRepository repository;
    private final AuditTrail audit;
    private final Clock clock;

    RankingService(RankingRepository repository, AuditTrail audit, ObjectProvider<Clock> clock) {
        this.repository = repository;
        this.audit = audit;
        this.clock = clock.getIfAvailable(() -> Clock.system(ZONE));
    }

    /**
     * The ranking of {@code level} ("street", "community", "grid", "department") for the week starting on Monday {@code week}
     * (null: the last complete week), among all peers under {@code within} (null: the caller's top area; for streets the
     * district, for communities the street, for grids the community — or the caller's area itself when it lies above the level).
     * Only rows inside the caller's scope are returned (every department for level=department); ranks count all peers.
     *
     * @throws InvalidParameterException naming {@code level}, {@code week} or {@code within}
     * @throws NotFoundException         when {@code within} lies outside the caller's scope or does not exist
     */
    public WeeklyRanking ranking(CallerScope scope, String level, LocalDate week, String within) {
        RankingLevel rankingLevel = RankingLevel.parse(level);
        LocalDate monday = week == null ? lastCompleteWeek() : week;
        if (monday.getDayOfWeek() != DayOfWeek.MONDAY) {
            throw new InvalidParameterException("week", "'" + monday + "' is not a Monday (weeks start on Monday)");
        }
        String parent = parent(scope, rankingLevel, within);
        RankingWeights weights = repository.weights();
        List<Scored> current = rank(rankingLevel, parent, monday, weights);
        Map<String, Integer> previous = new HashMap<>();
        rank(rankingLevel, parent, monday.minusWeeks(1), weights).forEach(s -> previous.put(s.figures.code(), s.rank));
        List<WeeklyRanking.Row> rows = new ArrayList<>();
        for (Scored s : current) {
            if (!scope.isEmpty() && (rankingLevel == RankingLevel.DEPARTMENT || scope.covers(s.figures.code()))) {
                Integer before = previous.get(s.figures.code());
                rows.add(new WeeklyRanking.Row(s.rank, before, before == null ? null : before - s.rank, s.figures.code(), s.figures.name(),
                        s.score, s.components, s.problems(), s.list));
            }
        }
        return new WeeklyRanking(rankingLevel.parameterValue, monday, weights, current.size(), rows);
    }

    /** The stored weights. */
    public RankingWeights weights() {
        return repository.weights();
    }

    @Transactional
    RankingWeights saveWeights(RankingWeights weights) {
        RankingWeights before = repository.weights();
        repository.saveWeights(weights);
        RankingWeights after = repository.weights();
        audit.record("RANKING_WEIGHTS_CHANGED", "ranking_weight", "weights", null, before, after);
        return after;
    }

    /** Monday of the last complete week, in Asia/Shanghai. */
    LocalDate lastCompleteWeek() {
        return LocalDate.now(clock.withZone(ZONE)).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1);
    }

    private static final class Scored {
        final RankingRepository.Figures figures;
        final WeeklyRanking.Components components;
        final Double score;
        int rank;
        String list;

        Scored(RankingRepository.Figures figures, WeeklyRanking.Components components, Double score) {
            this.figures = figures;
            this.components = components;
            this.score = score;
        }

        long problems() {
            return figures.closed() + figures.overdue();
        }
    }

    private List<Scored> rank(RankingLevel level, String parent, LocalDate monday, RankingWeights weights) {
        Instant start = monday.atStartOfDay(ZONE).toInstant();
        Instant end = monday.plusWeeks(1).atStartOfDay(ZONE).toInstant();
        LocalDate sunday = monday.plusDays(6);
        List<Scored> scored = new ArrayList<>();
        for (RankingRepository.Figures f : repository.figures(level, parent, start, end, sunday.minusDays(364), sunday)) {
            long due = f.closed() + f.overdue();
            WeeklyRanking.Components c = new WeeklyRanking.Components(
                    due == 0 ? null : round4((double) f.closed() / due),
                    due == 0 ? null : round4((double) f.onTime() / due),
                    f.handled() == 0 ? null : round4((double) f.returned() / f.handled()),
                    f.scoreRate() == null ? null : round4(f.scoreRate()),
                    f.externalRate() == null ? null : round4(f.externalRate()));
            scored.add(new Scored(f, c, score(f, weights)));
        }
        scored.sort(Comparator.comparing((Scored s) -> s.score, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(s -> s.figures.code()));
        int withScore = (int) scored.stream().filter(s -> s.score != null).count();
        for (int i = 0; i < scored.size(); i++) {
            Scored s = scored.get(i);
            if (s.score == null) {
                s.rank = withScore + 1;
            } else {
                s.rank = i > 0 && s.score.equals(scored.get(i - 1).score) ? scored.get(i - 1).rank : i + 1;
            }
        }
        List<Scored> eligible = scored.stream().filter(s -> s.score != null && s.problems() > 0).toList();
        int n = eligible.size();
        int size = Math.min(n > 30 ? (int) Math.ceil(n / 10.0) : 3, n / 2);
        for (int i = 0; i < size; i++) {
            eligible.get(i).list = "RED";
            eligible.get(n - 1 - i).list = "BLACK";
        }
        return scored;
    }

    /** 100 × Σ wᵢ·vᵢ / Σ wᵢ over the present components, from the unrounded rates; null when none is present. */
    static Double score(RankingRepository.Figures f, RankingWeights w) {
        long due = f.closed() + f.overdue();
        double sum = 0;
        double weight = 0;
        if (due > 0) {
            sum += w.closureRate() * f.closed() / due + w.onTimeClosureRate() * f.onTime() / due;
            weight += w.closureRate() + w.onTimeClosureRate();
        }
        if (f.handled() > 0) {
            sum += w.reworkRate() * (1 - (double) f.returned() / f.handled());
            weight += w.reworkRate();
        }
        if (f.scoreRate() != null) {
            sum += w.inspectionScoreRate() * f.scoreRate();
            weight += w.inspectionScoreRate();
        }
        if (f.externalRate() != null) {
            sum += w.externalScore() * f.externalRate();
            weight += w.externalScore();
        }
        if (weight <= 0) {
            return null;
        }
        return BigDecimal.valueOf(100 * sum / weight).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    private static double round4(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }

    /** The prefix all peers share: {@code within}, else the caller's common area (cut to the level's parent when it is not above it). */
    private String parent(CallerScope scope, RankingLevel level, String within) {
        if (within != null && !within.isBlank()) {
            String code = checkedArea(scope, within.strip());
            if (level != RankingLevel.DEPARTMENT && code.length() >= level.codeLength) {
                throw new InvalidParameterException("within", "'" + code + "' is not above the level " + level.parameterValue);
            }
            return code;
        }
        String common = commonArea(scope.areaCodes());
        if (level == RankingLevel.DEPARTMENT || common.length() < level.codeLength) {
            return common;
        }
        return common.substring(0, level.codeLength - 3);
    }

    /**
     * Checks an area code given by the caller: 400 when it is not a code, 404 when the area does not exist or lies outside
     * the caller's scope (an area above the caller's, e.g. its district, counts as in scope: only rows inside are shown).
     */
    public String checkedArea(CallerScope scope, String code) {
        if (!AreaCodes.isAreaCode(code)) {
            throw new InvalidParameterException("within", "'" + code + "' is not an area code");
        }
        boolean overlaps = scope.covers(code) || scope.areaCodes().stream().anyMatch(a -> a.startsWith(code));
        if (!overlaps || !repository.areaExists(code)) {
            throw new NotFoundException("area", code);
        }
        return code;
    }

    /** The longest area code that is a prefix of every scope code ("" when they have none in common). */
    static String commonArea(List<String> codes) {
        if (codes.isEmpty()) {
            return "";
        }
        String common = codes.get(0);
        for (String code : codes) {
            int i = 0;
            while (i < common.length() && i < code.length() && common.charAt(i) == code.charAt(i)) {
                i++;
            }
            common = common.substring(0, i);
        }
        int length = common.length() < 6 ? 0 : 6 + (common.length() - 6) / 3 * 3;
        return common.substring(0, length);
    }
}

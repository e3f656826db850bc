package org.civicgrid.bulletins;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;

import org.civicgrid.campaign.CampaignService;
import org.civicgrid.indicators.IndicatorFilters;
import org.civicgrid.indicators.IndicatorReport;
import org.civicgrid.indicators.Indicators;
import org.civicgrid.indicators.Period;
import org.civicgrid.ranking.RankingService;
import org.civicgrid.ranking.WeeklyRanking;
import org.civicgrid.security.CallerScope;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Assembles the weekly bulletin (一周一通报) of an area: the indicators of the week and of the week before and the rankings come
 * from the dashboard's own services ({@link Indicators}, {@link RankingService}, {@link CampaignService}), so the bulletin shows
 * the dashboard's numbers; worst points, overdue and urged problems from {@link BulletinRepository}.
 */
@Service
class BulletinService {

    static final int WORST_POINTS = 10;

    private final Indicators indicators;
    private final RankingService rankings;
    private final CampaignService campaigns;
    private final BulletinRepository repository;
    private final Clock clock;

    BulletinService(Indicators indicators, RankingService rankings, CampaignService campaigns, BulletinRepository repository,
                    ObjectProvider<Clock> clock) {
        this.indicators = indicators;
        this.rankings = rankings;
        this.campaigns = campaigns;
        this.repository = repository;
        this.clock = clock.getIfAvailable(() -> Clock.system(Period.ZONE));
    }

    /**
     * The bulletin of the week starting on Monday {@code monday} for {@code areaCode}.
     *
     * @throws InvalidParameterException naming {@code week} (not a Monday, or a week that has not begun) or {@code area}
     * @throws NotFoundException         when the area does not exist or lies outside the caller's scope
     */
    Bulletin bulletin(CallerScope scope, String areaCode, LocalDate monday) {
        if (monday.getDayOfWeek() != DayOfWeek.MONDAY) {
            throw new InvalidParameterException("week", "'" + monday + "' is not a Monday (weeks start on Monday)");
        }
        Instant now = clock.instant();
        if (monday.atStartOfDay(Period.ZONE).toInstant().isAfter(now)) {
            throw new InvalidParameterException("week", "the week of " + monday + " has not begun");
        }
        LocalDate sunday = monday.plusDays(6);
        // Checks the area (400 / 404) before anything else is computed.
        IndicatorReport current = indicators.indicators(scope, areaCode, monday, sunday, IndicatorFilters.NONE);
        IndicatorReport previous = indicators.indicators(scope, areaCode, monday.minusWeeks(1), sunday.minusWeeks(1), IndicatorFilters.NONE);
        IndicatorReport.AreaRef area = current.area();
        Period week = new Period(monday, sunday);
        Instant stockAt = week.stockAt(now);

        String subLevel = switch (area.level()) {
            case "district" -> "street";
            case "street" -> "community";
            case "community" -> "grid";
            default -> null;
        };
        WeeklyRanking subRanking = subLevel == null ? null : rankings.ranking(scope, subLevel, monday, area.code());
        WeeklyRanking departments = rankings.ranking(scope, "department", monday, area.code());

        List<Bulletin.Note> notes = new ArrayList<>();
        if (subRanking == null) {
            notes.add(new Bulletin.Note(area.code(), area.name(), BulletinNotes.note(current, previous, null)));
        } else {
            for (WeeklyRanking.Row row : subRanking.rows()) {
                IndicatorReport now1 = indicators.indicators(scope, row.code(), monday, sunday, IndicatorFilters.NONE);
                IndicatorReport before = indicators.indicators(scope, row.code(), monday.minusWeeks(1), sunday.minusWeeks(1), IndicatorFilters.NONE);
                notes.add(new Bulletin.Note(row.code(), row.name(), BulletinNotes.note(now1, before, row.list())));
            }
        }

        int weekOfYear = monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        String title = area.name() + " 创建全国文明城市 第" + weekOfYear + "周工作通报";
        return new Bulletin(area, monday, sunday, weekOfYear, title, campaign(sunday), current, previous, subLevel, subRanking, departments,
                repository.worstPoints(scope, area.code(), stockAt, WORST_POINTS),
                repository.overdueCount(scope, area.code(), stockAt), repository.overdue(scope, area.code(), stockAt),
                repository.urgedCount(scope, area.code(), week), repository.urged(scope, area.code(), week, stockAt),
                notes, stockAt, now);
    }

    /** The campaign as of the week's Sunday (null when none is configured). */
    private Bulletin.CampaignLine campaign(LocalDate sunday) {
        CampaignService.Campaign campaign;
        try {
            campaign = campaigns.campaign();
        } catch (NotFoundException e) {
            return null;
        }
        String phase = campaign.phases().stream().filter(p -> !sunday.isBefore(p.startsOn()) && !sunday.isAfter(p.endsOn()))
                .map(CampaignService.Phase::nameZh).findFirst().orElse(null);
        return new Bulletin.CampaignLine(campaign.name(), phase, campaign.evaluationDate(), ChronoUnit.DAYS.between(sunday, campaign.evaluationDate()));
    }
}

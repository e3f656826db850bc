package org.civicgrid.bulletins;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

import org.civicgrid.indicators.IndicatorReport;
import org.civicgrid.ranking.WeeklyRanking;

/**
 * One weekly bulletin (一周一通报) of an area, as every format renders it. Figures come from {@link org.civicgrid.indicators.Indicators}
 * and {@link org.civicgrid.ranking.RankingService} (the dashboard's numbers); points, overdue and urged problems from
 * {@link BulletinRepository}. Stocks (open, overdue, lights) are taken at {@code stockAt} = min(week end, generation time).
 */
record Bulletin(IndicatorReport.AreaRef area, LocalDate week, LocalDate sunday, int weekOfYear, String title, CampaignLine campaign,
                IndicatorReport current, IndicatorReport previous, String subLevel, WeeklyRanking subRanking, WeeklyRanking departmentRanking,
                List<WorstPoint> worstPoints, long overdueTotal, List<ProblemLine> overdue, long urgedTotal, List<ProblemLine> urged,
                List<Note> notes, Instant stockAt, Instant generatedAt) {

    /** The summary rows in display order: indicator key and Chinese label. */
    static final List<String[]> FIGURES = List.of(
            new String[] {"reported", "上报数（件）"}, new String[] {"accepted", "立案数（件）"}, new String[] {"closed", "结案数（件）"},
            new String[] {"closureRate", "结案率"}, new String[] {"onTimeClosureRate", "按期结案率"}, new String[] {"handlingRate", "处置率"},
            new String[] {"reworkRate", "返工率"}, new String[] {"overdue", "超期数（件）"},
            new String[] {"medianHoursToClose", "结案用时中位数（小时）"}, new String[] {"inspectionScoreRate", "督查得分率"});

    /** Area levels as shown: district 区, street 街道, community 社区, grid 网格, department 部门. */
    static String levelName(String level) {
        return switch (level) {
            case "district" -> "区";
            case "street" -> "街道";
            case "community" -> "社区";
            case "grid" -> "网格";
            case "department" -> "部门";
            default -> level;
        };
    }

    /** The campaign at the week's end: its name, the phase holding the week's Sunday (null: none), days from that Sunday to the evaluation. */
    record CampaignLine(String name, String phase, LocalDate evaluationDate, long daysLeft) {
    }

    /** A measurement point with open problems at the week's end; light is RED, YELLOW, GREEN or null (no deadline running). */
    record WorstPoint(long id, String name, String gridCode, String gridName, long open, String light, Long problemId, List<UUID> before,
                      List<UUID> after) {
    }

    /**
     * An overdue or urged problem: daysOverdue counts whole days (rounded up) past the deadline at the week's end (null: not overdue);
     * urges and supervisions count URGE / SUPERVISE moves in the week (0 in the overdue table).
     */
    record ProblemLine(long id, String category, String point, String gridCode, String gridName, LocalDateTime deadline, Long daysOverdue,
                       String department, int urges, int supervisions) {
    }

    /** The generated one-line note of a sub-area (or of the area itself when it has none below it). */
    record Note(String code, String name, String text) {
    }

    /** The download's ASCII file name, e.g. bulletin-320508-2026-03-02.pdf. */
    String fileName(String extension) {
        return "bulletin-" + area.code() + "-" + week + "." + extension;
    }

    String weekText() {
        return week + " 至 " + sunday + "（" + week.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR) + "年第" + weekOfYear + "周）";
    }
}

package org.civicgrid.bulletins;

import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.civicgrid.indicators.IndicatorReport;
import org.civicgrid.ranking.WeeklyRanking;

/** How the bulletin's values read, the same in HTML, PDF and the text cells of the XLSX. */
final class BulletinText {

    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private BulletinText() {
    }

    /** An indicator's value: counts as integers, ratios as percentages with one decimal, hours with one; "—" when missing. */
    static String value(IndicatorReport.Indicator indicator) {
        Number v = indicator.value();
        if (v == null) {
            return "—";
        }
        return switch (indicator.unit()) {
            case "ratio" -> BulletinNotes.percent(v.doubleValue());
            case "hours" -> String.format(Locale.ROOT, "%.1f", v.doubleValue());
            default -> Long.toString(v.longValue());
        };
    }

    /** This week minus last week: counts signed, ratios in percentage points, hours signed; "—" when either is missing. */
    static String change(IndicatorReport.Indicator now, IndicatorReport.Indicator before) {
        Double d = difference(now, before);
        if (d == null) {
            return "—";
        }
        return switch (now.unit()) {
            case "ratio" -> String.format(Locale.ROOT, "%+.1f 个百分点", d * 100);
            case "hours" -> String.format(Locale.ROOT, "%+.1f", d);
            default -> String.format(Locale.ROOT, "%+d", (long) (double) d);
        };
    }

    static Double difference(IndicatorReport.Indicator now, IndicatorReport.Indicator before) {
        if (now.value() == null || before.value() == null) {
            return null;
        }
        return now.value().doubleValue() - before.value().doubleValue();
    }

    /** ▲n (up n places), ▼n (down), "—" (same rank), "新" (not ranked last week). */
    static String rankChange(WeeklyRanking.Row row) {
        if (row.change() == null) {
            return "新";
        }
        if (row.change() > 0) {
            return "▲" + row.change();
        }
        if (row.change() < 0) {
            return "▼" + (-row.change());
        }
        return "—";
    }

    static String score(Double score) {
        return score == null ? "—" : String.format(Locale.ROOT, "%.2f", score);
    }

    static String rate(Double rate) {
        return rate == null ? "—" : BulletinNotes.percent(rate);
    }

    static String light(String light) {
        if (light == null) {
            return "—";
        }
        return switch (light) {
            case "RED" -> "红灯";
            case "YELLOW" -> "黄灯";
            case "GREEN" -> "绿灯";
            default -> light;
        };
    }

    static String orDash(Object value) {
        return value == null ? "—" : value.toString();
    }

    static String grid(Bulletin.ProblemLine line) {
        return line.gridName() == null ? line.gridCode() : line.gridName() + "（" + line.gridCode() + "）";
    }

    static String moves(Bulletin.ProblemLine line) {
        StringBuilder s = new StringBuilder();
        if (line.urges() > 0) {
            s.append("催办 ").append(line.urges()).append(" 次");
        }
        if (line.supervisions() > 0) {
            s.append(s.isEmpty() ? "" : "，").append("督办 ").append(line.supervisions()).append(" 次");
        }
        return s.toString();
    }

    static String campaign(Bulletin b) {
        if (b.campaign() == null) {
            return "";
        }
        Bulletin.CampaignLine c = b.campaign();
        String countdown = c.daysLeft() >= 0 ? "距测评 " + c.daysLeft() + " 天" : "测评已过 " + (-c.daysLeft()) + " 天";
        return c.name() + " · " + (c.phase() == null ? "不在阶段内" : c.phase()) + " · " + countdown + "（测评日 " + c.evaluationDate()
                + "，截至本周日）";
    }

    static String rankingHeading(Bulletin b) {
        return Bulletin.levelName(b.subLevel()) + "排名";
    }
}

package org.civicgrid.bulletins;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.civicgrid.indicators.IndicatorReport;

/**
 * The one-line note of an area, generated from its indicators this week and the week before, e.g.
 * "结案率 72.0%，较上周下降 12.0 个百分点；超期 5 件；上报 31 件（上周 18 件）；列入黑榜".
 */
final class BulletinNotes {

    /** A change of the closure rate below this many percentage points is "持平" (level). */
    static final double LEVEL_POINTS = 0.5;

    private BulletinNotes() {
    }

    static String note(IndicatorReport now, IndicatorReport before, String list) {
        List<String> parts = new ArrayList<>();
        Number rate = now.get("closureRate").value();
        Number rateBefore = before.get("closureRate").value();
        if (rate == null) {
            parts.add("本周无应结案问题");
        } else if (rateBefore == null) {
            parts.add("结案率 " + percent(rate.doubleValue()));
        } else {
            double points = (rate.doubleValue() - rateBefore.doubleValue()) * 100;
            String change = Math.abs(points) < LEVEL_POINTS ? "与上周持平"
                    : "较上周" + (points > 0 ? "上升 " : "下降 ") + String.format(Locale.ROOT, "%.1f", Math.abs(points)) + " 个百分点";
            parts.add("结案率 " + percent(rate.doubleValue()) + "，" + change);
        }
        long overdue = now.get("overdue").value().longValue();
        parts.add(overdue == 0 ? "无超期问题" : "超期 " + overdue + " 件");
        parts.add("上报 " + now.get("reported").value().longValue() + " 件（上周 " + before.get("reported").value().longValue() + " 件）");
        if ("RED".equals(list)) {
            parts.add("列入红榜");
        } else if ("BLACK".equals(list)) {
            parts.add("列入黑榜");
        }
        return String.join("；", parts);
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }
}

package org.civicgrid.areas;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.civicgrid.web.InvalidParameterException;

/**
 * What colours an area. Counts are per grid so large areas are not punished for their size
 * (domain.md §7); rates are shares. Class limits are local conventions and could become configuration.
 */
enum AreaMetric {
    OPEN("open", false, 1.0, 3.0, "每网格未整改 ≤ 1", "每网格 1–3", "每网格 > 3", "≤ 1 open per grid", "1–3 per grid", "> 3 per grid"),
    OVERDUE("overdue", false, 0.0, 0.5, "无超期", "每网格 ≤ 0.5", "每网格 > 0.5", "none overdue", "≤ 0.5 per grid", "> 0.5 per grid"),
    CLOSURE("closure", true, 0.9, 0.75, "结案率 ≥ 90%", "75–90%", "< 75%", "closure ≥ 90%", "75–90%", "< 75%"),
    ON_TIME_CLOSURE("onTimeClosure", true, 0.9, 0.75, "按期结案率 ≥ 90%", "75–90%", "< 75%", "on time ≥ 90%", "75–90%", "< 75%"),
    SCORE_RATE("scoreRate", true, 0.9, 0.8, "得分率 ≥ 90%", "80–90%", "< 80%", "score ≥ 90%", "80–90%", "< 80%");

    final String parameterValue;
    /** Rates: higher is better; counts: lower is better. */
    final boolean higherIsBetter;
    final double greenLimit;
    final double yellowLimit;
    private final List<String> labelsZh;
    private final List<String> labelsEn;

    AreaMetric(String parameterValue, boolean higherIsBetter, double greenLimit, double yellowLimit,
               String greenZh, String yellowZh, String redZh, String greenEn, String yellowEn, String redEn) {
        this.parameterValue = parameterValue;
        this.higherIsBetter = higherIsBetter;
        this.greenLimit = greenLimit;
        this.yellowLimit = yellowLimit;
        this.labelsZh = List.of(greenZh, yellowZh, redZh);
        this.labelsEn = List.of(greenEn, yellowEn, redEn);
    }

    List<Map<String, String>> legend() {
        List<String> lights = List.of("GREEN", "YELLOW", "RED");
        List<Map<String, String>> legend = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            legend.add(Map.of("light", lights.get(i), "label_zh", labelsZh.get(i), "label_en", labelsEn.get(i)));
        }
        legend.add(Map.of("light", "NONE", "label_zh", "无数据", "label_en", "no data"));
        return legend;
    }

    static AreaMetric parse(String text) {
        if (text == null || text.isBlank()) {
            return OPEN;
        }
        return Arrays.stream(values()).filter(m -> m.parameterValue.equals(text)).findFirst()
                .orElseThrow(() -> new InvalidParameterException("metric", "'" + text + "' is not one of "
                        + Arrays.stream(values()).map(m -> m.parameterValue).collect(Collectors.joining(", "))));
    }
}

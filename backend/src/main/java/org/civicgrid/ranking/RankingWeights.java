package org.civicgrid.ranking;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights of the composite score; each in [0, 1], summing to 1. When a component has no data for an
 * area (e.g. no inspection that week) it is left out and the weights of the present ones re-normalised.
 */
public record RankingWeights(double closureRate, double onTimeClosureRate, double reworkRate, double inspectionScoreRate,
                             double externalScore) {

    /** The JSON and table names of the components, in display order. */
    static final java.util.List<String> COMPONENTS = java.util.List.of("closureRate", "onTimeClosureRate", "reworkRate",
            "inspectionScoreRate", "externalScore");

    static RankingWeights of(Map<String, Double> byName) {
        return new RankingWeights(byName.getOrDefault("closureRate", 0.0), byName.getOrDefault("onTimeClosureRate", 0.0),
                byName.getOrDefault("reworkRate", 0.0), byName.getOrDefault("inspectionScoreRate", 0.0),
                byName.getOrDefault("externalScore", 0.0));
    }

    Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("closureRate", closureRate);
        map.put("onTimeClosureRate", onTimeClosureRate);
        map.put("reworkRate", reworkRate);
        map.put("inspectionScoreRate", inspectionScoreRate);
        map.put("externalScore", externalScore);
        return map;
    }
}

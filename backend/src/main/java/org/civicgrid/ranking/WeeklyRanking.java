package org.civicgrid.ranking;

import java.time.LocalDate;
import java.util.List;

/**
 * One week's ranking of the peers of a level under one parent area, as the API and the weekly bulletin show it.
 * {@code peerCount} counts every peer ranked (also those outside the caller's scope, whose rows are omitted).
 */
public record WeeklyRanking(String level, LocalDate week, RankingWeights weights, int peerCount, List<Row> rows) {

    /**
     * A peer's row. {@code score} is 0–100 (null when the area has no figure at all that week; such areas share the
     * last rank); {@code change} = previousRank − rank (positive = improved); {@code list} is "RED", "BLACK" or null;
     * {@code problems} = problems due to close that week (closed in the week + open and overdue at its end).
     */
    public record Row(int rank, Integer previousRank, Integer change, String code, String name, Double score, Components components,
                      long problems, String list) {
    }

    /** The normalised components, each in [0, 1] or null when there is nothing to measure; reworkRate is the raw rate (lower is better). */
    public record Components(Double closureRate, Double onTimeClosureRate, Double reworkRate, Double inspectionScoreRate,
                             Double externalScore) {
    }
}

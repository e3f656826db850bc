package org.civicgrid.ranking;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.civicgrid.web.InvalidParameterException;

/** The levels a ranking compares (the allow-list for {@code level}); departments are ranked by the problems dispatched to them. */
enum RankingLevel {
    STREET("street", 9), COMMUNITY("community", 12), GRID("grid", 15), DEPARTMENT("department", 0);

    final String parameterValue;
    /** Length of the level's area codes (0 for departments). */
    final int codeLength;

    RankingLevel(String parameterValue, int codeLength) {
        this.parameterValue = parameterValue;
        this.codeLength = codeLength;
    }

    static RankingLevel parse(String text) {
        return Arrays.stream(values()).filter(l -> l.parameterValue.equals(text)).findFirst()
                .orElseThrow(() -> new InvalidParameterException("level", "'" + text + "' is not one of "
                        + Arrays.stream(values()).map(l -> l.parameterValue).collect(Collectors.joining(", "))));
    }
}

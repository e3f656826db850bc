package org.civicgrid.areas;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.civicgrid.web.InvalidParameterException;

/** The administrative levels above grids; the allow-list for the {@code level} parameter. */
enum AreaLevel {
    DISTRICT("district"), STREET("street"), COMMUNITY("community");

    private final String parameterValue;

    AreaLevel(String parameterValue) {
        this.parameterValue = parameterValue;
    }

    static AreaLevel parse(String text) {
        return Arrays.stream(values()).filter(l -> l.parameterValue.equals(text)).findFirst()
                .orElseThrow(() -> new InvalidParameterException("level", "'" + text + "' is not one of "
                        + Arrays.stream(values()).map(l -> l.parameterValue).collect(Collectors.joining(", "))));
    }
}

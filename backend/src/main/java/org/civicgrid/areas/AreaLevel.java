package org.civicgrid.areas;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.civicgrid.web.InvalidParameterException;

/** The levels of the area hierarchy; the allow-list for the {@code level} parameter. */
enum AreaLevel {
    DISTRICT("district", 6), STREET("street", 9), COMMUNITY("community", 12), GRID("grid", 15);

    private final String parameterValue;
    /** The length of this level's codes: a subtree's codes share the first {@code codeLength} digits. */
    final int codeLength;

    AreaLevel(String parameterValue, int codeLength) {
        this.parameterValue = parameterValue;
        this.codeLength = codeLength;
    }

    String parameterValue() {
        return parameterValue;
    }

    static AreaLevel ofCode(String code) {
        return Arrays.stream(values()).filter(l -> l.codeLength == code.length()).findFirst()
                .orElseThrow(() -> new InvalidParameterException("code", "'" + code + "' is not an area code"));
    }

    static AreaLevel parse(String text) {
        return Arrays.stream(values()).filter(l -> l.parameterValue.equals(text)).findFirst()
                .orElseThrow(() -> new InvalidParameterException("level", "'" + text + "' is not one of "
                        + Arrays.stream(values()).map(l -> l.parameterValue).collect(Collectors.joining(", "))));
    }
}

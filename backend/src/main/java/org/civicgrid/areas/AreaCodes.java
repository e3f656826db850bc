package org.civicgrid.areas;

import java.util.regex.Pattern;

/** GB/T-style area codes (domain.md §2): 6 digits a district, +3 a street, +3 a community, +3 a grid. */
public final class AreaCodes {

    /** Compiled once: the check runs for every area of a caller's scope on every request. */
    private static final Pattern WELL_FORMED = Pattern.compile("\\d{6}(\\d{3}){0,3}");

    private AreaCodes() {
    }

    /** 6, 9, 12 or 15 digits. */
    public static boolean isAreaCode(String code) {
        return code != null && WELL_FORMED.matcher(code).matches();
    }

    /** The level name stored with a scope: DISTRICT, STREET, COMMUNITY or GRID. */
    public static String levelOf(String code) {
        if (!isAreaCode(code)) {
            throw new IllegalArgumentException("'" + code + "' is not an area code (6, 9, 12 or 15 digits)");
        }
        return switch (code.length()) {
            case 6 -> "DISTRICT";
            case 9 -> "STREET";
            case 12 -> "COMMUNITY";
            default -> "GRID";
        };
    }
}

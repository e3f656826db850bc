package org.civicgrid.areas;

/** GB/T-style area codes (domain.md §2): 6 digits a district, +3 a street, +3 a community, +3 a grid. */
public final class AreaCodes {

    private AreaCodes() {
    }

    /** The level name stored with a scope: DISTRICT, STREET, COMMUNITY or GRID. */
    public static String levelOf(String code) {
        if (code == null || !code.matches("\\d{6}(\\d{3}){0,3}")) {
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

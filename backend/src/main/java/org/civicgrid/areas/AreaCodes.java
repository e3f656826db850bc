package org.civicgrid.areas;

/** GB/T-style area codes (domain.md §2): 6 digits a district, +3 a street, +3 a community, +3 a grid. */
public final class AreaCodes {

    private AreaCodes() {
    }

    /** 6, 9, 12 or 15 digits. */
    public static boolean isAreaCode(String code) {
        // A loop, not a regular expression: it runs for every area of a caller's scope on every request.
        if (code == null || code.length() < 6 || code.length() > 15 || code.length() % 3 != 0) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            if (code.charAt(i) < '0' || code.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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

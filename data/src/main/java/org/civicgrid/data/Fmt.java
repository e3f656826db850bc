package org.civicgrid.data;

import java.time.LocalDate;

/** Locale-free, allocation-light formatting: fixed 7-decimal degrees, ISO timestamps at +08:00, JSON strings. */
final class Fmt {

    private static final long SCALE = 10_000_000L;

    private Fmt() {
    }

    static double round7(double value) {
        return Math.round(value * SCALE) / (double) SCALE;
    }

    static StringBuilder appendDegrees(StringBuilder out, double value) {
        long units = Math.round(value * SCALE);
        if (units < 0) {
            out.append('-');
            units = -units;
        }
        out.append(units / SCALE).append('.');
        String fraction = Long.toString(units % SCALE);
        for (int i = fraction.length(); i < 7; i++) {
            out.append('0');
        }
        return out.append(fraction);
    }

    static String degrees(double value) {
        return appendDegrees(new StringBuilder(12), value).toString();
    }

    /** Formats minutes since 1970-01-01T00:00 China wall-clock time, e.g. {@code 2026-10-12T09:31:00+08:00}. */
    static StringBuilder appendTimestamp(StringBuilder out, long localMinute) {
        long day = Math.floorDiv(localMinute, 1440);
        int minuteOfDay = (int) Math.floorMod(localMinute, 1440);
        out.append(LocalDate.ofEpochDay(day)).append('T');
        twoDigits(out, minuteOfDay / 60).append(':');
        twoDigits(out, minuteOfDay % 60).append(":00+08:00");
        return out;
    }

    static String timestamp(long localMinute) {
        return appendTimestamp(new StringBuilder(25), localMinute).toString();
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        return out.append(value);
    }

    static StringBuilder appendJsonString(StringBuilder out, String value) {
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"');
    }
}

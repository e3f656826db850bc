package org.civicgrid.indicators;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import org.civicgrid.web.InvalidParameterException;

/** Inclusive local days {@code from}..{@code to} in Asia/Shanghai, at most {@value #MAX_DAYS} days. */
public record Period(LocalDate from, LocalDate to) {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    public static final int MAX_DAYS = 400;

    public Period {
        if (from == null) {
            throw new InvalidParameterException("from", "is required (a date like 2026-11-30)");
        }
        if (to == null) {
            throw new InvalidParameterException("to", "is required (a date like 2026-11-30)");
        }
        if (to.isBefore(from)) {
            throw new InvalidParameterException("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw new InvalidParameterException("to", "the period may span at most " + MAX_DAYS + " days");
        }
    }

    static Period parse(String from, String to) {
        return new Period(date("from", from), date("to", to));
    }

    static LocalDate date(String name, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidParameterException(name, "is required (a date like 2026-11-30)");
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name, "'" + text + "' is not a date like 2026-11-30");
        }
    }

    /** The first instant of the period: {@code from} 00:00 in Shanghai. */
    public Instant start() {
        return from.atStartOfDay(ZONE).toInstant();
    }

    /** The first instant after the period: the day after {@code to}, 00:00 in Shanghai. */
    public Instant end() {
        return to.plusDays(1).atStartOfDay(ZONE).toInstant();
    }

    /** The instant at which stocks (overdue, open) are taken: the period's end, or now if the period has not ended. */
    public Instant stockAt(Instant now) {
        return end().isBefore(now) ? end() : now;
    }
}

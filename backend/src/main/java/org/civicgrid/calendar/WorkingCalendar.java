package org.civicgrid.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Working time on China's calendar: weekends are off unless they are make-up working days (调休),
 * statutory holidays are off, and only office hours count. Deadlines are accepted time + the
 * category's limit in working time (domain.md §5).
 */
public final class WorkingCalendar {

    /** Longer than any time limit: stops a loop over an empty calendar. */
    private static final int MAX_DAYS_SCANNED = 3660;

    private final ZoneId zone;
    private final List<WorkingTimeProperties.Period> periods;
    private final Set<LocalDate> holidays;
    private final Set<LocalDate> makeUpWorkdays;

    WorkingCalendar(ZoneId zone, List<WorkingTimeProperties.Period> periods, Map<LocalDate, DayKind> specialDays) {
        this.zone = zone;
        this.periods = List.copyOf(periods);
        this.holidays = specialDays.entrySet().stream().filter(e -> e.getValue() == DayKind.HOLIDAY).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.makeUpWorkdays = specialDays.entrySet().stream().filter(e -> e.getValue() == DayKind.WORKDAY).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public enum DayKind { HOLIDAY, WORKDAY }

    public ZoneId zone() {
        return zone;
    }

    public boolean isWorkingDay(LocalDate day) {
        if (holidays.contains(day)) {
            return false;
        }
        if (makeUpWorkdays.contains(day)) {
            return true;
        }
        DayOfWeek weekday = day.getDayOfWeek();
        return weekday != DayOfWeek.SATURDAY && weekday != DayOfWeek.SUNDAY;
    }

    /** The instant at which {@code workingTime} of office hours has passed since {@code start}. */
    public Instant addWorkingTime(Instant start, Duration workingTime) {
        if (workingTime.isNegative()) {
            throw new IllegalArgumentException("working time must not be negative: " + workingTime);
        }
        Duration remaining = workingTime;
        ZonedDateTime cursor = start.atZone(zone);
        LocalDate day = cursor.toLocalDate();
        for (int scanned = 0; scanned < MAX_DAYS_SCANNED; scanned++, day = day.plusDays(1)) {
            if (!isWorkingDay(day)) {
                continue;
            }
            for (WorkingTimeProperties.Period period : periods) {
                ZonedDateTime periodStart = day.atTime(period.start()).atZone(zone);
                ZonedDateTime periodEnd = day.atTime(period.end()).atZone(zone);
                ZonedDateTime from = cursor.isAfter(periodStart) ? cursor : periodStart;
                if (!from.isBefore(periodEnd)) {
                    continue;
                }
                Duration available = Duration.between(from, periodEnd);
                if (remaining.compareTo(available) <= 0) {
                    return from.plus(remaining).toInstant();
                }
                remaining = remaining.minus(available);
            }
        }
        throw new IllegalStateException("No working time found within " + MAX_DAYS_SCANNED + " days of " + start);
    }

    /** Office-hours time between two instants (zero if {@code end} is not after {@code start}). */
    public Duration workingTimeBetween(Instant start, Instant end) {
        Duration total = Duration.ZERO;
        if (!end.isAfter(start)) {
            return total;
        }
        ZonedDateTime from = start.atZone(zone);
        ZonedDateTime to = end.atZone(zone);
        for (LocalDate day = from.toLocalDate(); !day.isAfter(to.toLocalDate()); day = day.plusDays(1)) {
            if (!isWorkingDay(day)) {
                continue;
            }
            for (WorkingTimeProperties.Period period : periods) {
                ZonedDateTime periodStart = day.atTime(period.start()).atZone(zone);
                ZonedDateTime periodEnd = day.atTime(period.end()).atZone(zone);
                ZonedDateTime a = from.isAfter(periodStart) ? from : periodStart;
                ZonedDateTime b = to.isBefore(periodEnd) ? to : periodEnd;
                if (b.isAfter(a)) {
                    total = total.plus(Duration.between(a, b));
                }
            }
        }
        return total;
    }
}

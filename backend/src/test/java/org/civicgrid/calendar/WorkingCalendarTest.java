package org.civicgrid.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Deadline arithmetic on the 2026 National Day week: holidays skipped, the make-up Saturday counted. */
class WorkingCalendarTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private final WorkingCalendar calendar = new WorkingCalendar(SHANGHAI,
            new WorkingTimeProperties("09:00-12:00,13:00-18:00").parsedPeriods(),
            Map.of(LocalDate.of(2026, 10, 1), WorkingCalendar.DayKind.HOLIDAY,
                    LocalDate.of(2026, 10, 2), WorkingCalendar.DayKind.HOLIDAY,
                    LocalDate.of(2026, 10, 5), WorkingCalendar.DayKind.HOLIDAY,
                    LocalDate.of(2026, 10, 6), WorkingCalendar.DayKind.HOLIDAY,
                    LocalDate.of(2026, 10, 7), WorkingCalendar.DayKind.HOLIDAY,
                    LocalDate.of(2026, 10, 10), WorkingCalendar.DayKind.WORKDAY));

    private static Instant at(int month, int day, int hour, int minute) {
        return ZonedDateTime.of(2026, month, day, hour, minute, 0, 0, SHANGHAI).toInstant();
    }

    @Test
    void withinOneDayTheLunchBreakDoesNotCount() {
        assertThat(calendar.addWorkingTime(at(9, 29, 10, 0), Duration.ofHours(4))).isEqualTo(at(9, 29, 15, 0));
    }

    @Test
    void theHolidayWeekIsSkippedAndTheMakeUpSaturdayCounts() {
        // Wed 30 Sep 17:00 + 8 working hours: 1 h on Wed, holidays 1–7 Oct (and the weekend), Thu 8 Oct
        // gives 8 h, so the deadline is Thu 8 Oct 17:00.
        assertThat(calendar.addWorkingTime(at(9, 30, 17, 0), Duration.ofHours(8))).isEqualTo(at(10, 8, 17, 0));
        // Fri 9 Oct 16:00 + 4 h: 2 h on Friday, then the make-up Saturday 10 Oct from 09:00 → 11:00.
        assertThat(calendar.addWorkingTime(at(10, 9, 16, 0), Duration.ofHours(4))).isEqualTo(at(10, 10, 11, 0));
    }

    @Test
    void workReportedOutsideOfficeHoursStartsAtTheNextOpening() {
        assertThat(calendar.addWorkingTime(at(10, 8, 20, 30), Duration.ofMinutes(30))).isEqualTo(at(10, 9, 9, 30));
    }

    @Test
    void workingTimeBetweenIsTheInverseOfAdding() {
        Instant start = at(9, 30, 17, 0);
        Instant deadline = calendar.addWorkingTime(start, Duration.ofHours(16));
        assertThat(calendar.workingTimeBetween(start, deadline)).isEqualTo(Duration.ofHours(16));
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 10, 10))).isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 10, 11))).isFalse();
    }
}

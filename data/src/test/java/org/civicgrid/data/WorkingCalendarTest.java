package org.civicgrid.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WorkingCalendarTest {

    private final WorkingCalendar calendar = WorkingCalendar.loadDefault();

    @Test
    void holidaysAndMakeUpDays() {
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 10, 1))).isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 10, 10))).isTrue(); // Saturday make-up day
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 2, 23))).isFalse(); // Monday in 春节
        assertThat(calendar.isWorkingDay(LocalDate.of(2025, 1, 26))).isTrue(); // Sunday make-up day
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 11, 28))).isFalse(); // plain Saturday
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 11, 30))).isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.of(2030, 1, 7))).isTrue(); // no file: Monday–Friday
    }

    @Test
    void makeUpDaysFallOnWeekendsAndHolidayFilesParse() {
        for (int year : new int[] { 2025, 2026 }) {
            InputStream in = getClass().getClassLoader().getResourceAsStream("civicgrid/calendar/" + year + ".csv");
            assertThat(in).isNotNull();
            for (Map<String, String> row : Csv.readTable(in)) {
                LocalDate date = LocalDate.parse(row.get("date"));
                assertThat(date.getYear()).isEqualTo(year);
                if (row.get("kind").equals("WORKDAY")) {
                    assertThat(date.getDayOfWeek()).isIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
                } else {
                    assertThat(row.get("kind")).isEqualTo("HOLIDAY");
                }
            }
        }
    }

    @Test
    void workingTimeSkipsNightsWeekendsAndHolidays() {
        // Friday 17:00 + 4 working hours → Monday 12:00.
        assertThat(calendar.plusWorkingMinutes(LocalDateTime.of(2026, 11, 27, 17, 0), 240))
                .isEqualTo(LocalDateTime.of(2026, 11, 30, 12, 0));
        // Reported on a Sunday evening: the clock starts Monday 09:00.
        assertThat(calendar.plusWorkingMinutes(LocalDateTime.of(2026, 11, 29, 20, 0), 60))
                .isEqualTo(LocalDateTime.of(2026, 11, 30, 10, 0));
        // 30 Sep 2026 16:00 + 8 h: National Day runs 1–7 Oct, 8 Oct is a Thursday (2 h on 30 Sep, 6 h on 8 Oct).
        assertThat(calendar.plusWorkingMinutes(LocalDateTime.of(2026, 9, 30, 16, 0), 480))
                .isEqualTo(LocalDateTime.of(2026, 10, 8, 16, 0));
        assertThat(calendar.workingMinutesBetween(LocalDateTime.of(2026, 11, 27, 17, 0),
                LocalDateTime.of(2026, 11, 30, 12, 0))).isEqualTo(240);
    }
}

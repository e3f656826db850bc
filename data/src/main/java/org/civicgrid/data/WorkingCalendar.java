package org.civicgrid.data;

import java.io.InputStream;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * China's working days (statutory holidays and make-up working days from {@code civicgrid/calendar/YYYY.csv})
 * and working-time arithmetic for deadlines. Office hours are 09:00–12:00 and 13:00–18:00, so one working
 * day is 8 working hours; days in years without a calendar file fall back to Monday–Friday.
 */
public final class WorkingCalendar {

    public enum DayKind { HOLIDAY, WORKDAY }

    public static final String RESOURCE_DIR = "civicgrid/calendar/";
    public static final int MINUTES_PER_WORKING_DAY = 480;
    private static final int[][] OFFICE_WINDOWS = { { 9 * 60, 12 * 60 }, { 13 * 60, 18 * 60 } };
    private static final int MINUTES_PER_DAY = 1440;

    private final long firstEpochDay;
    /** Per day from {@link #firstEpochDay}: whether it is a working day, already resolved against weekends. */
    private final boolean[] working;

    private WorkingCalendar(Map<LocalDate, DayKind> exceptions) {
        if (exceptions.isEmpty()) {
            firstEpochDay = 0;
            working = new boolean[0];
            return;
        }
        TreeMap<LocalDate, DayKind> sorted = new TreeMap<>(exceptions);
        LocalDate first = sorted.firstKey().withDayOfYear(1);
        LocalDate last = sorted.lastKey().withMonth(12).withDayOfMonth(31);
        firstEpochDay = first.toEpochDay();
        working = new boolean[(int) (last.toEpochDay() - firstEpochDay + 1)];
        for (int i = 0; i < working.length; i++) {
            LocalDate date = LocalDate.ofEpochDay(firstEpochDay + i);
            DayKind kind = sorted.get(date);
            working[i] = kind == null ? isWeekday(date) : kind == DayKind.WORKDAY;
        }
    }

    public static WorkingCalendar of(Map<LocalDate, DayKind> exceptions) {
        return new WorkingCalendar(exceptions);
    }

    /** Loads every {@code civicgrid/calendar/YYYY.csv} found on the classpath. */
    public static WorkingCalendar loadDefault() {
        Map<LocalDate, DayKind> exceptions = new TreeMap<>();
        ClassLoader loader = WorkingCalendar.class.getClassLoader();
        for (int year = 2000; year <= 2100; year++) {
            InputStream in = loader.getResourceAsStream(RESOURCE_DIR + year + ".csv");
            if (in == null) {
                continue;
            }
            for (Map<String, String> row : Csv.readTable(in)) {
                exceptions.put(LocalDate.parse(row.get("date")), DayKind.valueOf(row.get("kind")));
            }
        }
        return new WorkingCalendar(exceptions);
    }

    public boolean isWorkingDay(LocalDate date) {
        return isWorkingDay(date.toEpochDay());
    }

    boolean isWorkingDay(long epochDay) {
        long index = epochDay - firstEpochDay;
        if (index >= 0 && index < working.length) {
            return working[(int) index];
        }
        return isWeekday(LocalDate.ofEpochDay(epochDay));
    }

    /** The moment {@code minutes} working minutes after {@code start}; time outside office hours does not count. */
    public LocalDateTime plusWorkingMinutes(LocalDateTime start, long minutes) {
        return fromLocalMinute(plusWorkingMinutes(toLocalMinute(start), minutes));
    }

    /** Working minutes elapsed from {@code from} to {@code to} (0 if {@code to} is not later). */
    public long workingMinutesBetween(LocalDateTime from, LocalDateTime to) {
        long a = toLocalMinute(from);
        long b = toLocalMinute(to);
        long total = 0;
        for (long day = Math.floorDiv(a, MINUTES_PER_DAY); day <= Math.floorDiv(b, MINUTES_PER_DAY); day++) {
            if (!isWorkingDay(day)) {
                continue;
            }
            long dayStart = day * MINUTES_PER_DAY;
            for (int[] window : OFFICE_WINDOWS) {
                long start = Math.max(a, dayStart + window[0]);
                long end = Math.min(b, dayStart + window[1]);
                total += Math.max(0, end - start);
            }
        }
        return total;
    }

    /** Same as {@link #plusWorkingMinutes(LocalDateTime, long)} on minutes since 1970-01-01T00:00 wall-clock time. */
    long plusWorkingMinutes(long localMinute, long minutes) {
        if (minutes <= 0) {
            return localMinute;
        }
        long day = Math.floorDiv(localMinute, MINUTES_PER_DAY);
        int minuteOfDay = (int) Math.floorMod(localMinute, MINUTES_PER_DAY);
        long remaining = minutes;
        while (true) {
            if (isWorkingDay(day)) {
                if (minuteOfDay == 0 && remaining > MINUTES_PER_WORKING_DAY) {
                    remaining -= MINUTES_PER_WORKING_DAY;
                    day++;
                    continue;
                }
                for (int[] window : OFFICE_WINDOWS) {
                    if (minuteOfDay < window[1]) {
                        int start = Math.max(minuteOfDay, window[0]);
                        int available = window[1] - start;
                        if (remaining <= available) {
                            return day * MINUTES_PER_DAY + start + remaining;
                        }
                        remaining -= available;
                        minuteOfDay = window[1];
                    }
                }
            }
            day++;
            minuteOfDay = 0;
        }
    }

    static long toLocalMinute(LocalDateTime time) {
        return time.toEpochSecond(ZoneOffset.UTC) / 60;
    }

    static LocalDateTime fromLocalMinute(long minute) {
        return LocalDateTime.ofEpochSecond(minute * 60, 0, ZoneOffset.UTC);
    }

    private static boolean isWeekday(LocalDate date) {
        DayOfWeek dow = date.getDayOfWeek();
        return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY;
    }
}

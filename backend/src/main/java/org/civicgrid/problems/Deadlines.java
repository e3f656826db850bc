package org.civicgrid.problems;

import java.time.Duration;
import java.time.Instant;

import org.civicgrid.calendar.WorkingCalendar;
import org.civicgrid.calendar.WorkingCalendarProvider;
import org.springframework.stereotype.Component;

/**
 * Deadline = acceptance + the category's time limit in working time; the warning instant (traffic
 * light turns yellow) is when 80 % of that working time is used.
 */
@Component
public class Deadlines {

    /** Share of the time limit after which a problem shows yellow. */
    static final double WARNING_SHARE = 0.8;

    private final WorkingCalendarProvider calendars;

    Deadlines(WorkingCalendarProvider calendars) {
        this.calendars = calendars;
    }

    public record Window(Instant warningAt, Instant deadlineAt) {
    }

    public Window from(Instant start, Duration limit) {
        WorkingCalendar calendar = calendars.calendar();
        Duration warning = Duration.ofSeconds(Math.round(limit.toSeconds() * WARNING_SHARE));
        return new Window(calendar.addWorkingTime(start, warning), calendar.addWorkingTime(start, limit));
    }

    /** An approved extension moves the deadline by more working time, counted from the old deadline. */
    public Window extend(Instant deadline, Duration extension, Instant acceptedAt) {
        WorkingCalendar calendar = calendars.calendar();
        Instant newDeadline = calendar.addWorkingTime(deadline, extension);
        Duration total = calendar.workingTimeBetween(acceptedAt, newDeadline);
        Instant warning = calendar.addWorkingTime(acceptedAt, Duration.ofSeconds(Math.round(total.toSeconds() * WARNING_SHARE)));
        return new Window(warning, newDeadline);
    }

    public static Duration hours(double hours) {
        return Duration.ofMinutes(Math.round(hours * 60));
    }
}

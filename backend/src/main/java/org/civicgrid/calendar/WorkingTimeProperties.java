package org.civicgrid.calendar;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Office hours are a local convention, so they are configuration: {@code civicgrid.working-time.periods}
 * lists the day's working periods, e.g. "09:00-12:00,13:00-18:00".
 */
@ConfigurationProperties("civicgrid.working-time")
public record WorkingTimeProperties(String periods) {

    public WorkingTimeProperties {
        periods = (periods == null || periods.isBlank()) ? "09:00-12:00,13:00-18:00" : periods;
    }

    List<Period> parsedPeriods() {
        List<Period> parsed = Arrays.stream(periods.split(",")).map(String::trim).map(Period::parse).toList();
        for (int i = 1; i < parsed.size(); i++) {
            if (!parsed.get(i).start().isAfter(parsed.get(i - 1).end()) && !parsed.get(i).start().equals(parsed.get(i - 1).end())) {
                throw new IllegalArgumentException("civicgrid.working-time.periods must be in order and not overlap: " + periods);
            }
        }
        return parsed;
    }

    record Period(LocalTime start, LocalTime end) {
        static Period parse(String text) {
            String[] bounds = text.split("-");
            if (bounds.length != 2) {
                throw new IllegalArgumentException("A working period looks like 09:00-12:00, not '" + text + "'");
            }
            Period period = new Period(LocalTime.parse(bounds[0].trim()), LocalTime.parse(bounds[1].trim()));
            if (!period.end.isAfter(period.start)) {
                throw new IllegalArgumentException("A working period must end after it starts: '" + text + "'");
            }
            return period;
        }
    }

    /** The zone in which office hours and calendar days are counted. */
    static ZoneId zone(String configured) {
        return ZoneId.of(configured == null || configured.isBlank() ? "Asia/Shanghai" : configured);
    }
}

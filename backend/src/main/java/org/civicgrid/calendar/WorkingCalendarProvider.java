package org.civicgrid.calendar;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Builds the {@link WorkingCalendar} from the calendar_day table and the configured office hours. */
@Component
@EnableConfigurationProperties(WorkingTimeProperties.class)
public class WorkingCalendarProvider {

    static final String SELECT_SPECIAL_DAYS = "SELECT day, kind FROM calendar_day";

    private final JdbcClient jdbc;
    private final WorkingTimeProperties properties;
    private final String timeZone;
    private volatile WorkingCalendar cached;

    WorkingCalendarProvider(JdbcClient jdbc, WorkingTimeProperties properties, @Value("${civicgrid.time-zone:Asia/Shanghai}") String timeZone) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.timeZone = timeZone;
    }

    public WorkingCalendar calendar() {
        WorkingCalendar calendar = cached;
        if (calendar == null) {
            calendar = reload();
        }
        return calendar;
    }

    /** Re-reads the holiday table, e.g. after a new year's schedule was loaded. */
    public WorkingCalendar reload() {
        Map<LocalDate, WorkingCalendar.DayKind> days = new HashMap<>();
        jdbc.sql(SELECT_SPECIAL_DAYS).query((rs, n) -> days.put(rs.getObject("day", LocalDate.class),
                WorkingCalendar.DayKind.valueOf(rs.getString("kind")))).list();
        WorkingCalendar calendar = new WorkingCalendar(WorkingTimeProperties.zone(timeZone), properties.parsedPeriods(), days);
        cached = calendar;
        return calendar;
    }
}

package org.civicgrid.data;

/** A problem category from {@code vocab/problem-categories.csv}; the time limit counts working hours. */
public record ProblemCategory(String code, String nameZh, String nameEn, String actionCode, int timeLimitHours,
        String eventClass, String defaultDepartmentCode) {
}

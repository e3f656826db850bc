package org.civicgrid.data;

/** A handler department (责任部门) from {@code vocab/departments.csv}. */
public record Department(String code, String nameZh, String nameEn, String kind) {
}

package org.civicgrid.data;

/** A field-inspection point type (测评点位类型) from {@code vocab/point-types.csv}. */
public record PointType(String code, String nameZh, String nameEn, String groupCode, GeometryKind geometryKind,
        String color, String glyph, int sortOrder) {
}

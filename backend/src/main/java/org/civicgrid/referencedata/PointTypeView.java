package org.civicgrid.referencedata;

/** A measurement-point type as the map legend and icons need it. */
record PointTypeView(String code, String nameZh, String nameEn, String groupCode, String geometryKind, String color, String glyph) {
}

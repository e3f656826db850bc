package org.civicgrid.data;

/** How a point type is drawn: a marker, a polyline (streets) or an outline (compounds, markets, sites). */
public enum GeometryKind {
    POINT, LINE, POLYGON
}

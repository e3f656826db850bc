package org.civicgrid.transfer;

import java.util.Arrays;
import java.util.Locale;

import org.civicgrid.web.InvalidParameterException;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Geometry;

/**
 * The coordinate system an import's lon/lat (or WKT) is in. WGS84 and CGCS2000 lon/lat differ by far less than
 * a millimetre and pass through; GCJ-02 (高德/腾讯) and BD-09 (百度) are converted to WGS84. Files that declare
 * a projected system (GeoJSON crs, GeoPackage srs, .prj) are first brought to lon/lat by GeoFiles; a GCJ-02 or
 * BD-09 choice still applies after that, since files never declare those.
 */
enum InputCrs {
    WGS84, CGCS2000, GCJ02, BD09;

    static InputCrs parse(String text) {
        if (text == null || text.isBlank()) {
            return WGS84;
        }
        String key = text.strip().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (key) {
            case "WGS84", "EPSG:4326", "4326" -> WGS84;
            case "CGCS2000", "EPSG:4490", "4490" -> CGCS2000;
            case "GCJ02" -> GCJ02;
            case "BD09", "BD09LL" -> BD09;
            default -> throw new InvalidParameterException("crs", "'" + text + "' is not one of " + Arrays.toString(values()));
        };
    }

    /** lon/lat in this system → WGS84 lon/lat. */
    double[] toWgs84(double lon, double lat) {
        return switch (this) {
            case WGS84, CGCS2000 -> new double[] {lon, lat};
            case GCJ02 -> ChinaCoordinates.gcjToWgs(lon, lat);
            case BD09 -> ChinaCoordinates.bdToWgs(lon, lat);
        };
    }

    boolean isIdentity() {
        return this == WGS84 || this == CGCS2000;
    }

    /** The geometry (lon/lat in this system) in WGS84; the argument is changed in place. */
    Geometry toWgs84(Geometry geometry) {
        if (isIdentity() || geometry == null) {
            return geometry;
        }
        geometry.apply(new CoordinateSequenceFilter() {
            @Override
            public void filter(CoordinateSequence seq, int i) {
                double[] w = toWgs84(seq.getX(i), seq.getY(i));
                seq.setOrdinate(i, 0, w[0]);
                seq.setOrdinate(i, 1, w[1]);
            }

            @Override
            public boolean isDone() {
                return false;
            }

            @Override
            public boolean isGeometryChanged() {
                return true;
            }
        });
        geometry.geometryChanged();
        return geometry;
    }
}

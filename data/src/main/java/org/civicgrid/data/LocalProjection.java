package org.civicgrid.data;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateArrays;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Local metric plane (metres east/north of a centre) to lon/lat, rounded to 7 decimals (about 1 cm).
 * The demo geometry is laid out in metres and only converted on output; the conversion is a pure function
 * of each coordinate, so vertices shared by neighbouring polygons stay identical after rounding.
 */
final class LocalProjection {

    private static final double METRES_PER_DEGREE_LAT = 110_574.0;

    private final double lon0;
    private final double lat0;
    private final double metresPerDegreeLon;
    private final GeometryFactory lonLatFactory;

    LocalProjection(double lon0, double lat0, GeometryFactory lonLatFactory) {
        this.lon0 = lon0;
        this.lat0 = lat0;
        this.metresPerDegreeLon = 111_320.0 * Math.cos(Math.toRadians(lat0));
        this.lonLatFactory = lonLatFactory;
    }

    Coordinate toLonLat(Coordinate metric) {
        return new Coordinate(Fmt.round7(lon0 + metric.x / metresPerDegreeLon),
                Fmt.round7(lat0 + metric.y / METRES_PER_DEGREE_LAT));
    }

    Coordinate toMetric(Coordinate lonLat) {
        return new Coordinate((lonLat.x - lon0) * metresPerDegreeLon, (lonLat.y - lat0) * METRES_PER_DEGREE_LAT);
    }

    Point toLonLat(Point metric) {
        return lonLatFactory.createPoint(toLonLat(metric.getCoordinate()));
    }

    LineString toLonLat(LineString metric) {
        return lonLatFactory.createLineString(convert(metric.getCoordinates()));
    }

    Polygon toLonLat(Polygon metric) {
        LinearRing shell = lonLatFactory.createLinearRing(convert(metric.getExteriorRing().getCoordinates()));
        LinearRing[] holes = new LinearRing[metric.getNumInteriorRing()];
        for (int i = 0; i < holes.length; i++) {
            holes[i] = lonLatFactory.createLinearRing(convert(metric.getInteriorRingN(i).getCoordinates()));
        }
        return lonLatFactory.createPolygon(shell, holes);
    }

    Geometry toLonLat(Geometry metric) {
        if (metric instanceof Point p) {
            return toLonLat(p);
        }
        if (metric instanceof LinearRing r) {
            return lonLatFactory.createLinearRing(convert(r.getCoordinates()));
        }
        if (metric instanceof LineString l) {
            return toLonLat(l);
        }
        if (metric instanceof Polygon p) {
            return toLonLat(p);
        }
        throw new IllegalArgumentException("unsupported geometry " + metric.getGeometryType());
    }

    /** Converts and drops vertices that collapse onto their predecessor after rounding. */
    private Coordinate[] convert(Coordinate[] metric) {
        Coordinate[] out = new Coordinate[metric.length];
        for (int i = 0; i < metric.length; i++) {
            out[i] = toLonLat(metric[i]);
        }
        return CoordinateArrays.removeRepeatedPoints(out);
    }
}

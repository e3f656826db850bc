package org.civicgrid.geoformats;

import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;
import org.locationtech.proj4j.datum.Ellipsoid;

/**
 * The coordinate system a file's coordinates are in, and the way to lon/lat. Lon/lat on WGS84 or CGCS2000
 * (whose ellipsoids differ by 0.1 mm) pass through; projected systems on those ellipsoids are inverted with
 * proj4j onto the same ellipsoid; systems on other datums need a known shift to WGS84 (towgs84) or are refused.
 */
final class Crs {

    private static final CRSFactory FACTORY = new CRSFactory();
    private static final CoordinateTransformFactory TRANSFORMS = new CoordinateTransformFactory();

    /** What the file declared, for messages ("EPSG:4549", "CGCS2000 / 3-degree Gauss-Kruger CM 120E"). */
    final String name;
    /** null = already lon/lat. */
    private final CoordinateReferenceSystem source;
    /** Made on first use; like every Crs it serves one read on one thread (proj4j transforms keep state). */
    private CoordinateTransform transform;

    private Crs(String name, CoordinateReferenceSystem source) {
        this.name = name;
        this.source = source;
    }

    static Crs lonLat(String name) {
        return new Crs(name, null);
    }

    boolean isLonLat() {
        return source == null;
    }

    /** An EPSG code as proj4j knows it; 4326 and 4490 (CGCS2000) are lon/lat. */
    static Crs epsg(int code) {
        if (code == 4326 || code == 4490) {
            return lonLat("EPSG:" + code);
        }
        CoordinateReferenceSystem crs;
        try {
            crs = FACTORY.createFromName("EPSG:" + code);
        } catch (RuntimeException e) {
            crs = null;
        }
        if (crs == null) {
            throw new GeoFileException("unsupported coordinate system EPSG:" + code);
        }
        return of("EPSG:" + code, crs);
    }

    /** A proj4 definition ("+proj=tmerc +lon_0=120 ... +ellps=GRS80 +units=m"). */
    static Crs proj4(String name, String parameters) {
        CoordinateReferenceSystem crs;
        try {
            crs = FACTORY.createFromParameters(name, parameters);
        } catch (RuntimeException e) {
            throw new GeoFileException("unsupported coordinate system " + name + ": " + e.getMessage());
        }
        return of(name, crs);
    }

    private static Crs of(String name, CoordinateReferenceSystem crs) {
        Ellipsoid ellipsoid = crs.getDatum().getEllipsoid();
        boolean wgs84Like = Math.abs(ellipsoid.getEquatorRadius() - 6378137.0) < 0.01
                && Math.abs(ellipsoid.getEccentricitySquared() - Ellipsoid.WGS84.getEccentricitySquared()) < 1e-9;
        if (!wgs84Like && !crs.getDatum().hasTransformToWGS84()) {
            throw new GeoFileException("unsupported coordinate system " + name + ": its datum ("
                    + crs.getDatum().getName() + ") has no known shift to WGS84/CGCS2000");
        }
        if (Boolean.TRUE.equals(crs.isGeographic()) && wgs84Like) {
            return lonLat(name);
        }
        return new Crs(name, crs);
    }

    /** The geometry in lon/lat (a copy; this one is kept). Coordinates that cannot be inverted → exception naming the feature. */
    Geometry toLonLat(Geometry geometry, String feature) {
        if (geometry == null || source == null) {
            return geometry;
        }
        if (transform == null) {
            CoordinateReferenceSystem target = wgs84Like(source) ? source.createGeographic()
                    : FACTORY.createFromParameters("WGS84", "+proj=longlat +datum=WGS84 +no_defs");
            transform = TRANSFORMS.createTransform(source, target);
        }
        Geometry copy = geometry.copy();
        ProjCoordinate in = new ProjCoordinate();
        ProjCoordinate out = new ProjCoordinate();
        copy.apply(new CoordinateSequenceFilter() {
            @Override
            public void filter(CoordinateSequence seq, int i) {
                in.x = seq.getX(i);
                in.y = seq.getY(i);
                try {
                    transform.transform(in, out);
                } catch (RuntimeException e) {
                    out.x = Double.NaN;
                }
                if (!Double.isFinite(out.x) || !Double.isFinite(out.y) || Math.abs(out.x) > 180 || Math.abs(out.y) > 90) {
                    throw new GeoFileException(feature + ": coordinates (" + in.x + ", " + in.y
                            + ") lie outside the area of " + name);
                }
                seq.setOrdinate(i, 0, out.x);
                seq.setOrdinate(i, 1, out.y);
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
        return copy;
    }

    private static boolean wgs84Like(CoordinateReferenceSystem crs) {
        Ellipsoid ellipsoid = crs.getDatum().getEllipsoid();
        return Math.abs(ellipsoid.getEquatorRadius() - 6378137.0) < 0.01 && !crs.getDatum().hasTransformToWGS84();
    }

    /** A file with no coordinate system ({@code what} says so): lon/lat when every coordinate could be one, else an exception. */
    static Crs undeclared(Envelope extent, String what) {
        if (extent.isNull() || extent.getMinX() >= -180 && extent.getMaxX() <= 180 && extent.getMinY() >= -90
                && extent.getMaxY() <= 90) {
            return lonLat("lon/lat (undeclared)");
        }
        throw new GeoFileException(what + " and the coordinates (e.g. " + extent.getMinX() + ", " + extent.getMinY()
                + ") are not lon/lat: the coordinate system must be given");
    }
}

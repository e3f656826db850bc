package org.civicgrid.planning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.civicgrid.web.InvalidParameterException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.util.AffineTransformation;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.io.geojson.GeoJsonReader;
import org.locationtech.jts.io.geojson.GeoJsonWriter;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.polygonize.Polygonizer;

/** Geometry helpers of the planner: GeoJSON in and out, a local metric projection, split and merge. */
final class GridGeometry {

    static final GeometryFactory WGS84 = new GeometryFactory(new PrecisionModel(), 4326);

    /** A responsibility grid is a few streets round: a few dozen vertices. Far more is a mistake or an attack. */
    static final int MAX_VERTICES = 10_000;

    private GridGeometry() {
    }

    /** A GeoJSON geometry object (lon/lat) as a polygon; a one-part MultiPolygon is accepted. Anything else → 400 naming {@code field}. */
    static Polygon polygon(String geoJson, String field) {
        Geometry g = geometry(geoJson, field);
        if (g instanceof MultiPolygon multi && multi.getNumGeometries() == 1) {
            g = multi.getGeometryN(0);
        }
        if (!(g instanceof Polygon polygon) || g.isEmpty()) {
            throw new InvalidParameterException(field, "must be a GeoJSON Polygon, not " + g.getGeometryType());
        }
        checkSize(polygon, field);
        checkLonLat(polygon, field);
        return (Polygon) WGS84.createGeometry(polygon);
    }

    /** Refuses a polygon with more than {@link #MAX_VERTICES} vertices, naming {@code field}. */
    static void checkSize(Geometry g, String field) {
        if (g.getNumPoints() > MAX_VERTICES) {
            throw new InvalidParameterException(field, "has " + g.getNumPoints() + " vertices; a grid may have at most " + MAX_VERTICES);
        }
    }

    static LineString line(String geoJson, String field) {
        Geometry g = geometry(geoJson, field);
        if (!(g instanceof LineString line) || g.isEmpty()) {
            throw new InvalidParameterException(field, "must be a GeoJSON LineString, not " + g.getGeometryType());
        }
        checkLonLat(line, field);
        return (LineString) WGS84.createGeometry(line);
    }

    private static Geometry geometry(String geoJson, String field) {
        if (geoJson == null || geoJson.isBlank() || geoJson.equals("null")) {
            throw new InvalidParameterException(field, "is required (a GeoJSON geometry)");
        }
        try {
            return new GeoJsonReader(WGS84).read(geoJson);
        } catch (ParseException | RuntimeException e) {
            throw new InvalidParameterException(field, "is not a GeoJSON geometry: " + e.getMessage());
        }
    }

    private static void checkLonLat(Geometry g, String field) {
        for (Coordinate c : g.getCoordinates()) {
            if (!Double.isFinite(c.x) || !Double.isFinite(c.y) || c.x < -180 || c.x > 180 || c.y < -90 || c.y > 90) {
                throw new InvalidParameterException(field, "coordinates must be lon/lat (EPSG:4326), not " + c.x + " " + c.y);
            }
        }
    }

    static String geoJson(Geometry g) {
        GeoJsonWriter writer = new GeoJsonWriter(9);
        writer.setEncodeCRS(false);
        return writer.write(g);
    }

    static Geometry wkb(byte[] bytes) {
        try {
            Geometry g = new WKBReader(WGS84).read(bytes);
            g.setSRID(4326);
            return g;
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] wkb(Geometry g) {
        return new WKBWriter().write(g);
    }

    /**
     * A local equirectangular projection in metres around a centre: affine, so exactly invertible and
     * topology-preserving (shared vertices stay shared); scale error well under 0.1 % across a street.
     */
    static final class LocalMetres {
        final AffineTransformation forward;
        final AffineTransformation inverse;

        LocalMetres(Envelope around) {
            double lon0 = around.centre().x;
            double lat0 = around.centre().y;
            double phi = Math.toRadians(lat0);
            double ky = 111132.954 - 559.822 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
            double kx = 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi);
            forward = new AffineTransformation(kx, 0, -lon0 * kx, 0, ky, -lat0 * ky);
            try {
                inverse = forward.getInverse();
            } catch (org.locationtech.jts.geom.util.NoninvertibleTransformationException e) {
                throw new IllegalStateException(e);
            }
        }

        Geometry toMetres(Geometry g) {
            return forward.transform(g);
        }

        Geometry toLonLat(Geometry g) {
            Geometry back = inverse.transform(g);
            back.setSRID(4326);
            return back;
        }
    }

    /**
     * The polygon cut by a line that crosses it fully: the faces of boundary ∪ line inside the polygon,
     * largest first. Fewer than two faces (the line does not cross from one side to the other) → 400.
     */
    static List<Polygon> split(Polygon polygon, LineString line) {
        if (!polygon.isValid()) {
            throw new InvalidParameterException("gridKey", "the grid's geometry is invalid; fix it before splitting");
        }
        Geometry noded = OverlayNGRobust.overlay(polygon.getBoundary(), line, OverlayNG.UNION);
        Polygonizer polygonizer = new Polygonizer();
        polygonizer.add(noded);
        List<Polygon> faces = new ArrayList<>();
        for (Object face : polygonizer.getPolygons()) {
            Polygon p = (Polygon) face;
            if (p.getArea() > 0 && polygon.contains(p.getInteriorPoint())) {
                faces.add((Polygon) WGS84.createGeometry(p));
            }
        }
        if (faces.size() < 2) {
            throw new InvalidParameterException("line", "must cross the grid fully, entering and leaving it through its boundary");
        }
        if (faces.size() > 2) {
            throw new InvalidParameterException("line", "crosses the grid more than once (it would make " + faces.size()
                    + " pieces); draw a line that cuts it in two");
        }
        faces.sort(Comparator.comparingDouble(Geometry::getArea).reversed());
        return faces;
    }

    /** Two polygons sharing an edge, merged; not adjacent (no shared edge longer than {@code minShared} metres) → 400. */
    static Polygon merge(Polygon a, Polygon b, LocalMetres metres, double minShared) {
        Geometry shared = OverlayNGRobust.overlay(metres.toMetres(a.getBoundary()), metres.toMetres(b.getBoundary()).buffer(0.01),
                OverlayNG.INTERSECTION);
        if (shared.getLength() < minShared) {
            throw new InvalidParameterException("gridKeys", "the grids are not adjacent: they share no edge");
        }
        Geometry union = OverlayNGRobust.overlay(a, b, OverlayNG.UNION);
        if (!(union instanceof Polygon polygon)) {
            throw new InvalidParameterException("gridKeys", "the grids touch only at points; their union is not one polygon");
        }
        return (Polygon) WGS84.createGeometry(polygon);
    }

    /**
     * The polygon without spikes as overlays leave them: a vertex where the boundary turns back by less than
     * {@code maxDegrees} enclosing less than {@code maxSqm} (measured in metres) is dropped.
     */
    static Polygon withoutSpikes(Polygon polygon, LocalMetres metres, double maxDegrees, double maxSqm) {
        if (polygon == null) {
            return null;
        }
        org.locationtech.jts.geom.LinearRing shell = cleanRing(polygon.getExteriorRing(), metres, maxDegrees, maxSqm);
        List<org.locationtech.jts.geom.LinearRing> holes = new ArrayList<>();
        for (int i = 0; i < polygon.getNumInteriorRing(); i++) {
            org.locationtech.jts.geom.LinearRing hole = cleanRing(polygon.getInteriorRingN(i), metres, maxDegrees, maxSqm);
            if (hole != null) {
                holes.add(hole);
            }
        }
        if (shell == null) {
            return polygon;
        }
        Polygon clean = WGS84.createPolygon(shell, holes.toArray(org.locationtech.jts.geom.LinearRing[]::new));
        return clean.isValid() ? clean : polygon;
    }

    private static org.locationtech.jts.geom.LinearRing cleanRing(org.locationtech.jts.geom.LinearRing ring, LocalMetres metres,
                                                                   double maxDegrees, double maxSqm) {
        List<Coordinate> cs = new ArrayList<>(List.of(ring.getCoordinates()));
        cs.remove(cs.size() - 1);
        boolean changed = true;
        while (changed && cs.size() >= 3) {
            changed = false;
            for (int i = 0; i < cs.size() && cs.size() >= 3; i++) {
                Coordinate prev = metres.forward.transform(cs.get((i - 1 + cs.size()) % cs.size()), new Coordinate());
                Coordinate here = metres.forward.transform(cs.get(i), new Coordinate());
                Coordinate next = metres.forward.transform(cs.get((i + 1) % cs.size()), new Coordinate());
                if (here.equals2D(prev)) {
                    cs.remove(i);
                    changed = true;
                    i--;
                    continue;
                }
                double a1 = Math.atan2(prev.y - here.y, prev.x - here.x);
                double a2 = Math.atan2(next.y - here.y, next.x - here.x);
                double angle = Math.toDegrees(Math.abs(a1 - a2));
                if (angle > 180) {
                    angle = 360 - angle;
                }
                double area = Math.abs((here.x - prev.x) * (next.y - prev.y) - (here.y - prev.y) * (next.x - prev.x)) / 2;
                if (angle < maxDegrees && area < maxSqm) {
                    cs.remove(i);
                    changed = true;
                    i--;
                }
            }
        }
        if (cs.size() < 3) {
            return null;
        }
        cs.add(new Coordinate(cs.get(0)));
        return WGS84.createLinearRing(cs.toArray(Coordinate[]::new));
    }

    /** The polygon with the given points inserted as vertices where they lie on its edges (the same object when none does). */
    static Polygon withVertices(Polygon polygon, Coordinate[] points) {
        boolean changed = false;
        org.locationtech.jts.geom.LinearRing[] rings = new org.locationtech.jts.geom.LinearRing[polygon.getNumInteriorRing() + 1];
        for (int r = 0; r < rings.length; r++) {
            org.locationtech.jts.geom.LinearRing ring = r == 0 ? polygon.getExteriorRing() : polygon.getInteriorRingN(r - 1);
            List<Coordinate> cs = new ArrayList<>(List.of(ring.getCoordinates()));
            for (Coordinate p : points) {
                if (cs.stream().anyMatch(p::equals2D)) {
                    continue;
                }
                for (int i = 0; i < cs.size() - 1; i++) {
                    Coordinate a = cs.get(i);
                    Coordinate b = cs.get(i + 1);
                    if (p.equals2D(a) || p.equals2D(b)) {
                        break;
                    }
                    if (org.locationtech.jts.algorithm.Distance.pointToSegment(p, a, b) < 1e-10) {
                        cs.add(i + 1, new Coordinate(p));
                        changed = true;
                        break;
                    }
                }
            }
            rings[r] = WGS84.createLinearRing(cs.toArray(Coordinate[]::new));
        }
        if (!changed) {
            return polygon;
        }
        return WGS84.createPolygon(rings[0], java.util.Arrays.copyOfRange(rings, 1, rings.length));
    }

    /**
     * The polygon snapped within {@code tolerance} (degrees) to its neighbours: a vertex equal to one of theirs stays;
     * any other moves onto the nearest of their vertices within reach, else onto the nearest vertex of the community
     * boundaries within reach; then each neighbour vertex lying within reach of an edge (and of no vertex) becomes a
     * vertex of that edge. Unchanged when snapping would make it invalid.
     */
    static Polygon snapTo(Polygon polygon, List<Coordinate> neighbours, List<Coordinate> communities, double tolerance) {
        java.util.Set<Coordinate> exact = new java.util.HashSet<>(neighbours);
        org.locationtech.jts.geom.LinearRing[] rings = new org.locationtech.jts.geom.LinearRing[polygon.getNumInteriorRing() + 1];
        for (int r = 0; r < rings.length; r++) {
            org.locationtech.jts.geom.LinearRing ring = r == 0 ? polygon.getExteriorRing() : polygon.getInteriorRingN(r - 1);
            List<Coordinate> cs = new ArrayList<>();
            Coordinate[] original = ring.getCoordinates();
            for (int i = 0; i < original.length - 1; i++) {
                Coordinate c = new Coordinate(original[i].x, original[i].y);
                Coordinate to = exact.contains(c) ? c : nearest(c, neighbours, tolerance);
                if (to == null) {
                    to = nearest(c, communities, tolerance);
                }
                Coordinate moved = new Coordinate(to == null ? c : to);
                if (cs.isEmpty() || !cs.get(cs.size() - 1).equals2D(moved)) {
                    cs.add(moved);
                }
            }
            while (cs.size() > 1 && cs.get(0).equals2D(cs.get(cs.size() - 1))) {
                cs.remove(cs.size() - 1);
            }
            for (Coordinate q : neighbours) {
                if (nearest(q, cs, tolerance) != null) {
                    continue;
                }
                int best = -1;
                double bestDistance = tolerance;
                for (int i = 0; i < cs.size(); i++) {
                    double d = org.locationtech.jts.algorithm.Distance.pointToSegment(q, cs.get(i), cs.get((i + 1) % cs.size()));
                    if (d < bestDistance) {
                        bestDistance = d;
                        best = i;
                    }
                }
                if (best >= 0) {
                    cs.add(best + 1, new Coordinate(q));
                }
            }
            if (cs.size() < 3) {
                return polygon;
            }
            cs.add(new Coordinate(cs.get(0)));
            rings[r] = WGS84.createLinearRing(cs.toArray(Coordinate[]::new));
        }
        Polygon snapped = WGS84.createPolygon(rings[0], java.util.Arrays.copyOfRange(rings, 1, rings.length));
        return snapped.isValid() ? snapped : polygon;
    }

    /** The point of {@code points} nearest to {@code c} closer than {@code tolerance}, or null. */
    private static Coordinate nearest(Coordinate c, List<Coordinate> points, double tolerance) {
        Coordinate best = null;
        double bestDistance = tolerance;
        for (Coordinate p : points) {
            double d = c.distance(p);
            if (d < bestDistance || (d == 0 && best == null)) {
                bestDistance = d;
                best = p;
            }
        }
        return best;
    }

    /** The distinct vertices of geometries (rings' closing points once). */
    static List<Coordinate> vertices(List<? extends Geometry> geometries) {
        java.util.Set<Coordinate> seen = new java.util.LinkedHashSet<>();
        for (Geometry g : geometries) {
            for (Coordinate c : g.getCoordinates()) {
                seen.add(new Coordinate(c.x, c.y));
            }
        }
        return new ArrayList<>(seen);
    }

    /** The largest polygon of a polygonal result (for fixes that may leave crumbs). */
    static Polygon largestPolygon(Geometry g) {
        Polygon best = null;
        for (int i = 0; i < g.getNumGeometries(); i++) {
            if (g.getGeometryN(i) instanceof Polygon p && (best == null || p.getArea() > best.getArea())) {
                best = p;
            }
        }
        return best == null ? null : (Polygon) WGS84.createGeometry(best);
    }
}

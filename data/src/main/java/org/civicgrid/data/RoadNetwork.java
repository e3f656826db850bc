package org.civicgrid.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.linearref.LengthIndexedLine;
import org.locationtech.jts.operation.distance.IndexedFacetDistance;

/**
 * A loose grid of named roads (metric plane) across a district: north–south and east–west roads about
 * 550 m apart, slightly tilted. It gives addresses, intersections, bus stops and road sections their names.
 */
final class RoadNetwork {

    /** A named road; {@code inside} holds its parts within the district, each at least 250 m long. */
    record Road(String name, boolean northSouth, LineString axis, List<LineString> inside) {
    }

    /** A crossing of a north–south and an east–west road inside the district. */
    record Crossing(Road a, Road b, Coordinate at) {
    }

    private static final double SPACING_M = 550;

    private final List<Road> roads = new ArrayList<>();
    private final List<Crossing> crossings = new ArrayList<>();
    private final GeometryFactory factory;

    RoadNetwork(Polygon district, SplittableRandom rnd, List<String> stems, GeometryFactory factory) {
        this.factory = factory;
        Envelope env = district.getEnvelopeInternal();
        int stemIndex = 0;
        IndexedFacetDistance boundary = new IndexedFacetDistance(district.getBoundary());
        for (int pass = 0; pass < 2; pass++) {
            boolean northSouth = pass == 0;
            double from = northSouth ? env.getMinX() : env.getMinY();
            double to = northSouth ? env.getMaxX() : env.getMaxY();
            for (double at = from + SPACING_M * 0.6; at < to - SPACING_M * 0.3; at += SPACING_M) {
                double offset = at + rnd.nextDouble(-110, 110);
                double tilt = rnd.nextDouble(-0.08, 0.08);
                LineString axis = northSouth
                        ? line(offset - tilt * 6000, env.getMinY() - 500, offset + tilt * 6000, env.getMaxY() + 500)
                        : line(env.getMinX() - 500, offset - tilt * 6000, env.getMaxX() + 500, offset + tilt * 6000);
                List<LineString> inside = new ArrayList<>();
                Geometry clipped = district.intersection(axis);
                for (int i = 0; i < clipped.getNumGeometries(); i++) {
                    if (clipped.getGeometryN(i) instanceof LineString part && part.getLength() >= 250) {
                        inside.add(part);
                    }
                }
                if (inside.isEmpty()) {
                    continue;
                }
                String name = stems.get(stemIndex++ % stems.size()) + NameBank.roadSuffix(rnd);
                roads.add(new Road(name, northSouth, axis, inside));
            }
        }
        for (Road a : roads) {
            if (!a.northSouth()) {
                continue;
            }
            for (Road b : roads) {
                if (b.northSouth()) {
                    continue;
                }
                Geometry cross = a.axis().intersection(b.axis());
                if (cross instanceof Point p && district.contains(p)
                        && boundary.distance(p) > 40) {
                    crossings.add(new Crossing(a, b, p.getCoordinate()));
                }
            }
        }
    }

    List<Road> roads() {
        return roads;
    }

    List<Crossing> crossings() {
        return crossings;
    }

    Road nearestRoad(Coordinate c) {
        return nearestRoad(c, null);
    }

    /** Nearest road, optionally only among roads of the other direction than {@code across}. */
    Road nearestRoad(Coordinate c, Road across) {
        Point p = factory.createPoint(c);
        Road best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (Road road : roads) {
            if (across != null && road.northSouth() == across.northSouth()) {
                continue;
            }
            double d = road.axis().distance(p);
            if (d < bestDistance) {
                bestDistance = d;
                best = road;
            }
        }
        return best;
    }

    /** A house number: odd on one side, even on the other, growing along the road. */
    static int houseNumber(Road road, Coordinate c) {
        LengthIndexedLine indexed = new LengthIndexedLine(road.axis());
        double position = indexed.project(c);
        Coordinate[] axis = road.axis().getCoordinates();
        double cross = (axis[1].x - axis[0].x) * (c.y - axis[0].y) - (axis[1].y - axis[0].y) * (c.x - axis[0].x);
        int base = 1 + 2 * (int) Math.max(0, (position - 300) / 24);
        return cross > 0 ? base : base + 1;
    }

    private LineString line(double x0, double y0, double x1, double y1) {
        return factory.createLineString(new Coordinate[] { new Coordinate(x0, y0), new Coordinate(x1, y1) });
    }
}

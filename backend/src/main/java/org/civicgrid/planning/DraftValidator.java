package org.civicgrid.planning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Server-side validation of a draft's grids, in metres (a local projection around the area): each
 * polygon valid, without spikes, inside its community; the grids of each community an exact coverage
 * (no overlaps, no gaps) checked with JTS's CoverageValidator; no slivers; codes unique and well-formed.
 * Faults come in a stable order: per grid by key, then overlaps, then gaps.
 */
final class DraftValidator {

    /** Tunables (application properties civicgrid.planning.*). */
    record Settings(double toleranceMetres, double minGridAreaSqm, double minThinness, double minGapAreaSqm, double spikeDegrees) {
        static final Settings DEFAULT = new Settings(0.5, 100, 0.01, 1.0, 1.0);
    }

    record Grid(long key, String code, Geometry geometry) {
    }

    record Community(String code, Geometry boundary) {
    }

    /** A fault: its type, the grid(s) concerned, a message, and where it is (lon/lat). */
    record Fault(String type, Long gridKey, List<Long> gridKeys, String message, Geometry location) {
    }

    private static final double OVERLAP_NOISE_SQM = 0.01;

    private DraftValidator() {
    }

    static List<Fault> validate(List<Grid> grids, List<Community> communities, Settings settings) {
        Envelope around = new Envelope();
        communities.forEach(c -> around.expandToInclude(c.boundary().getEnvelopeInternal()));
        grids.forEach(g -> around.expandToInclude(g.geometry().getEnvelopeInternal()));
        if (around.isNull()) {
            return List.of();
        }
        GridGeometry.LocalMetres metres = new GridGeometry.LocalMetres(around);
        Map<String, Geometry> communityMetres = new LinkedHashMap<>();
        Map<String, PreparedGeometry> communityPrepared = new LinkedHashMap<>();
        Map<String, Geometry> communityTolerated = new LinkedHashMap<>();
        for (Community c : communities) {
            Geometry m = metres.toMetres(c.boundary());
            communityMetres.put(c.code(), m);
            communityPrepared.put(c.code(), PreparedGeometryFactory.prepare(m));
            communityTolerated.put(c.code(), m.buffer(settings.toleranceMetres()));
        }

        List<Fault> faults = new ArrayList<>();
        List<Grid> sorted = grids.stream().sorted(Comparator.comparingLong(Grid::key)).toList();
        Map<String, List<Integer>> byCommunity = new LinkedHashMap<>();
        communities.forEach(c -> byCommunity.put(c.code(), new ArrayList<>()));
        List<Geometry> fixedMetres = new ArrayList<>();
        Map<String, List<Long>> byCode = new LinkedHashMap<>();

        for (int i = 0; i < sorted.size(); i++) {
            Grid grid = sorted.get(i);
            Geometry m = metres.toMetres(grid.geometry());
            IsValidOp validity = new IsValidOp(grid.geometry());
            Geometry fixed = m;
            if (!validity.isValid()) {
                TopologyValidationError error = validity.getValidationError();
                faults.add(new Fault("INVALID_GEOMETRY", grid.key(), List.of(grid.key()),
                        "Grid " + grid.code() + ": " + error.getMessage() + " (a self-intersecting or bow-tie boundary)",
                        GridGeometry.WGS84.createPoint(error.getCoordinate())));
                fixed = GeometryFixer.fix(m);
            }
            fixedMetres.add(fixed);
            spikes(grid, (Polygon) grid.geometry(), (Polygon) m, settings, faults);

            // Its community: the one holding most of it (the one covering it, as a rule: then nothing of it is outside).
            String community = null;
            boolean covered = false;
            double best = 0;
            for (Map.Entry<String, Geometry> c : communityMetres.entrySet()) {
                if (!c.getValue().getEnvelopeInternal().intersects(fixed.getEnvelopeInternal())) {
                    continue;
                }
                if (communityPrepared.get(c.getKey()).covers(fixed)) {
                    community = c.getKey();
                    covered = true;
                    break;
                }
                double shared = OverlayNGRobust.overlay(fixed, c.getValue(), OverlayNG.INTERSECTION).getArea();
                if (shared > best) {
                    best = shared;
                    community = c.getKey();
                }
            }
            if (community == null) {
                faults.add(new Fault("OUTSIDE_COMMUNITY", grid.key(), List.of(grid.key()),
                        "Grid " + grid.code() + " lies outside every community of the area", grid.geometry()));
            } else if (covered) {
                byCommunity.get(community).add(i);
            } else {
                byCommunity.get(community).add(i);
                Geometry outside = OverlayNGRobust.overlay(fixed, communityTolerated.get(community), OverlayNG.DIFFERENCE);
                if (!outside.isEmpty() && outside.getArea() > OVERLAP_NOISE_SQM) {
                    faults.add(new Fault("OUTSIDE_COMMUNITY", grid.key(), List.of(grid.key()),
                            "Grid %s reaches %.1f m² outside community %s".formatted(grid.code(), outside.getArea(), community),
                            metres.toLonLat(outside)));
                }
            }
            if (!grid.code().matches("\\d{15}")) {
                faults.add(new Fault("BAD_CODE", grid.key(), List.of(grid.key()),
                        "Code '" + grid.code() + "' is not 15 digits", grid.geometry()));
            } else if (community != null && !grid.code().startsWith(community)) {
                faults.add(new Fault("BAD_CODE", grid.key(), List.of(grid.key()),
                        "Code " + grid.code() + " does not start with the code of its community " + community, grid.geometry()));
            }
            double area = fixed.getArea();
            double perimeter = fixed.getLength();
            double thinness = perimeter == 0 ? 0 : 4 * Math.PI * area / (perimeter * perimeter);
            if (area < settings.minGridAreaSqm()) {
                faults.add(new Fault("SLIVER", grid.key(), List.of(grid.key()),
                        "Grid %s has %.1f m², below the minimum of %.0f m²".formatted(grid.code(), area, settings.minGridAreaSqm()),
                        grid.geometry()));
            } else if (thinness < settings.minThinness()) {
                faults.add(new Fault("SLIVER", grid.key(), List.of(grid.key()),
                        "Grid %s is a sliver (thinness %.4f below %.4f)".formatted(grid.code(), thinness, settings.minThinness()),
                        grid.geometry()));
            }
            byCode.computeIfAbsent(grid.code(), c -> new ArrayList<>()).add(grid.key());
        }

        byCode.forEach((code, keys) -> {
            for (int k = 1; k < keys.size(); k++) {
                long key = keys.get(k);
                Grid grid = sorted.stream().filter(g -> g.key() == key).findFirst().orElseThrow();
                faults.add(new Fault("DUPLICATE_CODE", key, List.copyOf(keys),
                        "Code " + code + " is used by " + keys.size() + " grids", grid.geometry()));
            }
        });

        byCommunity.forEach((community, members) -> {
            Geometry[] coverage = members.stream().map(fixedMetres::get).toArray(Geometry[]::new);
            Geometry[] invalidEdges = coverage.length == 0 ? new Geometry[0] : CoverageValidator.validate(coverage, settings.toleranceMetres());
            int overlapsFrom = faults.size();
            for (int a = 0; a < coverage.length; a++) {
                for (int b = a + 1; b < coverage.length; b++) {
                    if (!coverage[a].getEnvelopeInternal().intersects(coverage[b].getEnvelopeInternal())) {
                        continue;
                    }
                    boolean suspect = invalidEdges[a] != null || invalidEdges[b] != null
                            || coverage[a].contains(coverage[b].getInteriorPoint()) || coverage[b].contains(coverage[a].getInteriorPoint());
                    if (!suspect) {
                        continue;
                    }
                    Geometry overlap = polygonal(OverlayNGRobust.overlay(coverage[a], coverage[b], OverlayNG.INTERSECTION));
                    if (overlap.getArea() > OVERLAP_NOISE_SQM) {
                        Grid ga = sorted.get(members.get(a));
                        Grid gb = sorted.get(members.get(b));
                        faults.add(new Fault("OVERLAP", ga.key(), List.of(ga.key(), gb.key()),
                                "Grids %s and %s overlap by %.1f m²".formatted(ga.code(), gb.code(), overlap.getArea()),
                                metres.toLonLat(overlap)));
                    }
                }
            }
            int before = faults.size();
            Geometry boundary = communityMetres.get(community);
            // A valid coverage (no edge flagged) is dissolved along its shared edges, far faster than overlaying it.
            boolean valid = before == overlapsFrom && java.util.Arrays.stream(invalidEdges).allMatch(e -> e == null || e.isEmpty());
            Geometry union = coverage.length == 0 ? null
                    : valid ? CoverageUnion.union(coverage)
                    : OverlayNGRobust.union(GridGeometry.WGS84.buildGeometry(List.of(coverage)));
            Geometry gaps = union == null ? boundary : OverlayNGRobust.overlay(boundary, union, OverlayNG.DIFFERENCE);
            for (int p = 0; p < gaps.getNumGeometries(); p++) {
                Geometry gap = gaps.getGeometryN(p);
                if (!(gap instanceof Polygon) || gap.getArea() < settings.minGapAreaSqm()) {
                    continue;
                }
                List<Long> neighbours = new ArrayList<>();
                for (int m = 0; m < coverage.length; m++) {
                    if (coverage[m].isWithinDistance(gap, settings.toleranceMetres())) {
                        neighbours.add(sorted.get(members.get(m)).key());
                    }
                }
                faults.add(new Fault("GAP", neighbours.isEmpty() ? null : neighbours.get(0), neighbours,
                        "Gap of %.1f m² in community %s not covered by any grid".formatted(gap.getArea(), community),
                        metres.toLonLat(gap)));
            }
            // Edges the coverage check rejects that no overlap or gap explains: neighbours whose shared edges do not
            // match vertex for vertex (or narrow gaps/overlaps below the reporting size).
            java.util.Set<Long> explained = new java.util.HashSet<>();
            faults.subList(before, faults.size()).forEach(f -> explained.addAll(f.gridKeys()));
            for (int a = 0; a < coverage.length; a++) {
                Grid grid = sorted.get(members.get(a));
                if (invalidEdges[a] != null && !invalidEdges[a].isEmpty() && !explained.contains(grid.key())
                        && new IsValidOp(grid.geometry()).isValid()) {
                    faults.add(new Fault("EDGE_MISMATCH", grid.key(), List.of(grid.key()),
                            "Grid " + grid.code() + " has edges that do not match its neighbours' vertex for vertex (snap them to the neighbour)",
                            metres.toLonLat(invalidEdges[a])));
                }
            }
        });
        return faults;
    }

    /** Vertices whose angle is below the spike limit (including zero-width back-and-forth parts). */
    private static void spikes(Grid grid, Polygon lonLat, Polygon metric, Settings settings, List<Fault> faults) {
        int found = 0;
        for (int r = 0; r <= metric.getNumInteriorRing() && found < 5; r++) {
            LinearRing ring = r == 0 ? metric.getExteriorRing() : metric.getInteriorRingN(r - 1);
            LinearRing ringLonLat = r == 0 ? lonLat.getExteriorRing() : lonLat.getInteriorRingN(r - 1);
            Coordinate[] cs = ring.getCoordinates();
            int n = cs.length - 1; // closed ring: last = first
            if (n < 3) {
                continue;
            }
            for (int i = 0; i < n && found < 5; i++) {
                Coordinate here = cs[i];
                Coordinate prev = previousDistinct(cs, n, i);
                Coordinate next = nextDistinct(cs, n, i);
                if (prev == null || next == null) {
                    continue;
                }
                double a1 = Math.atan2(prev.y - here.y, prev.x - here.x);
                double a2 = Math.atan2(next.y - here.y, next.x - here.x);
                double angle = Math.toDegrees(Math.abs(a1 - a2));
                if (angle > 180) {
                    angle = 360 - angle;
                }
                if (angle < settings.spikeDegrees()) {
                    found++;
                    faults.add(new Fault("SPIKE", grid.key(), List.of(grid.key()),
                            "Grid %s has a spike (angle %.2f°) at a vertex".formatted(grid.code(), angle),
                            GridGeometry.WGS84.createPoint(ringLonLat.getCoordinateN(i))));
                }
            }
        }
    }

    private static Coordinate previousDistinct(Coordinate[] cs, int n, int i) {
        for (int k = 1; k < n; k++) {
            Coordinate c = cs[(i - k + n) % n];
            if (!c.equals2D(cs[i])) {
                return c;
            }
        }
        return null;
    }

    private static Coordinate nextDistinct(Coordinate[] cs, int n, int i) {
        for (int k = 1; k < n; k++) {
            Coordinate c = cs[(i + k) % n];
            if (!c.equals2D(cs[i])) {
                return c;
            }
        }
        return null;
    }

    private static Geometry polygonal(Geometry g) {
        List<Geometry> parts = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            if (g.getGeometryN(i) instanceof Polygon p && !p.isEmpty()) {
                parts.add(p);
            }
        }
        return GridGeometry.WGS84.buildGeometry(parts);
    }
}

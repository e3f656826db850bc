package org.civicgrid.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * Builds a district as an exact coverage: grids are Voronoi cells of a jittered hexagonal lattice whose seeds
 * fall inside an irregular outline (whole cells only, so no clipping and every shared edge has identical
 * vertices); communities and streets are contiguous groups of cells found by a graph Voronoi from k-means seeds,
 * and every parent is the coverage union of its children.
 */
final class AreaTessellator {

    static final int TARGET_GRIDS = 420;
    static final int COMMUNITIES = 45;
    static final int STREETS = 7;
    private static final double HALF_WIDTH_M = 3500;
    private static final double HALF_HEIGHT_M = 2600;
    private static final double ROW_FACTOR = Math.sqrt(3) / 2;

    private final GeometryFactory metricFactory = new GeometryFactory();
    private final GeometryFactory lonLatFactory;

    AreaTessellator(GeometryFactory lonLatFactory) {
        this.lonLatFactory = lonLatFactory;
    }

    private record Site(Coordinate at, int row) {
    }

    DistrictAreas build(DistrictSpec spec, SplittableRandom rnd, List<String> stems) {
        LocalProjection projection = new LocalProjection(spec.centreLon(), spec.centreLat(), lonLatFactory);
        Polygon outline = irregularOutline(rnd);
        List<Site> sites = jitteredLattice(outline, rnd);
        Polygon[] metricCells = voronoiCells(sites, outline.getEnvelopeInternal());
        Polygon[] cells = new Polygon[metricCells.length];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = projection.toLonLat(metricCells[i]);
        }
        boolean[] kept = new boolean[sites.size()];
        PreparedGeometry preparedOutline = PreparedGeometryFactory.prepare(outline);
        for (int i = 0; i < kept.length; i++) {
            kept[i] = preparedOutline.contains(metricFactory.createPoint(sites.get(i).at()));
        }
        makeSimplyConnected(kept, cells, sites, projection);

        int[] cellIds = indicesOf(kept);
        int n = cellIds.length;
        double[] xs = new double[n];
        double[] ys = new double[n];
        Polygon[] gridCells = new Polygon[n];
        Polygon[] gridMetric = new Polygon[n];
        for (int g = 0; g < n; g++) {
            Site site = sites.get(cellIds[g]);
            xs[g] = site.at().x;
            ys[g] = site.at().y;
            gridCells[g] = cells[cellIds[g]];
            gridMetric[g] = metricCells[cellIds[g]];
        }
        int[][] adjacency = sharedEdgeAdjacency(gridCells);

        int[] community = graphVoronoi(adjacency, xs, ys,
                kMeansSources(xs, ys, ones(n), COMMUNITIES, rnd));
        double[] cx = new double[COMMUNITIES];
        double[] cy = new double[COMMUNITIES];
        double[] size = new double[COMMUNITIES];
        for (int g = 0; g < n; g++) {
            cx[community[g]] += xs[g];
            cy[community[g]] += ys[g];
            size[community[g]]++;
        }
        for (int c = 0; c < COMMUNITIES; c++) {
            cx[c] /= size[c];
            cy[c] /= size[c];
        }
        int[][] communityAdjacency = quotientAdjacency(adjacency, community, COMMUNITIES);
        int[] street = graphVoronoi(communityAdjacency, cx, cy, kMeansSources(cx, cy, size, STREETS, rnd));

        return assemble(spec, projection, rnd, stems, n, xs, ys, sites, cellIds, gridCells, gridMetric, adjacency,
                community, cx, cy, street);
    }

    private DistrictAreas assemble(DistrictSpec spec, LocalProjection projection, SplittableRandom rnd,
            List<String> stems, int n, double[] xs, double[] ys, List<Site> sites, int[] cellIds,
            Polygon[] gridCells, Polygon[] gridMetric, int[][] adjacency, int[] community, double[] cx,
            double[] cy, int[] street) {
        // Streets: north→south in 1.5 km bands, then west→east; communities likewise in 600 m bands.
        Integer[] streetOrder = sortedBy(STREETS, s -> meanOf(cy, street, s), s -> meanOf(cx, street, s), 1500);
        List<DistrictAreas.Area> streets = new ArrayList<>();
        List<DistrictAreas.Area> communities = new ArrayList<>();
        DistrictAreas.Grid[] grids = new DistrictAreas.Grid[n];
        List<Integer> gridOrder = new ArrayList<>();
        Map<Integer, Integer> gridIndexOfCell = new HashMap<>();
        int stemIndex = 0;
        List<Geometry> streetGeometries = new ArrayList<>();
        List<Integer> gridHouseholds = new ArrayList<>();
        List<String> gridCodes = new ArrayList<>();
        List<String> gridNames = new ArrayList<>();
        List<String> gridCommunityCodes = new ArrayList<>();
        for (int si = 0; si < STREETS; si++) {
            int s = streetOrder[si];
            String streetCode = spec.code() + String.format(Locale.ROOT, "%03d", si + 1);
            String streetName = stems.get(stemIndex++) + "街道";
            List<Integer> members = new ArrayList<>();
            for (int c = 0; c < COMMUNITIES; c++) {
                if (street[c] == s) {
                    members.add(c);
                }
            }
            members.sort(Comparator.<Integer>comparingDouble(c -> Math.floor(-cy[c] / 600)).thenComparingDouble(c -> cx[c]));
            List<Geometry> communityGeometries = new ArrayList<>();
            for (int ci = 0; ci < members.size(); ci++) {
                int c = members.get(ci);
                String communityCode = streetCode + String.format(Locale.ROOT, "%03d", ci + 1);
                String communityName = stems.get(stemIndex++) + "社区";
                List<Integer> cellsOfCommunity = new ArrayList<>();
                for (int g = 0; g < n; g++) {
                    if (community[g] == c) {
                        cellsOfCommunity.add(g);
                    }
                }
                cellsOfCommunity.sort(Comparator.<Integer>comparingInt(g -> -sites.get(cellIds[g]).row())
                        .thenComparingDouble(g -> xs[g]));
                int households = 0;
                Geometry[] parts = new Geometry[cellsOfCommunity.size()];
                for (int k = 0; k < cellsOfCommunity.size(); k++) {
                    int g = cellsOfCommunity.get(k);
                    int gridHouseholdCount = 300 + rnd.nextInt(201);
                    households += gridHouseholdCount;
                    gridIndexOfCell.put(g, gridOrder.size());
                    gridOrder.add(g);
                    gridHouseholds.add(gridHouseholdCount);
                    gridCodes.add(communityCode + String.format(Locale.ROOT, "%03d", k + 1));
                    gridNames.add(communityName + "第" + (k + 1) + "网格");
                    gridCommunityCodes.add(communityCode);
                    parts[k] = gridCells[g];
                }
                Polygon communityGeometry = singlePolygon(CoverageUnion.union(parts), communityCode);
                communityGeometries.add(communityGeometry);
                communities.add(new DistrictAreas.Area("community", communityCode, communityName, streetCode,
                        households, communityGeometry));
            }
            Polygon streetGeometry = singlePolygon(CoverageUnion.union(communityGeometries.toArray(Geometry[]::new)),
                    streetCode);
            streetGeometries.add(streetGeometry);
            streets.add(new DistrictAreas.Area("street", streetCode, streetName, spec.code(), null, streetGeometry));
        }
        for (int k = 0; k < gridOrder.size(); k++) {
            int g = gridOrder.get(k);
            int[] neighbours = Arrays.stream(adjacency[g]).map(gridIndexOfCell::get).sorted().toArray();
            grids[k] = new DistrictAreas.Grid(gridCodes.get(k), gridNames.get(k), gridCommunityCodes.get(k),
                    gridHouseholds.get(k), gridCells[g], neighbours);
        }
        Polygon districtGeometry = singlePolygon(CoverageUnion.union(streetGeometries.toArray(Geometry[]::new)),
                spec.code());
        Polygon districtMetric = singlePolygon(CoverageUnion.union(gridMetric), spec.code());
        DistrictAreas.Area district = new DistrictAreas.Area("district", spec.code(), spec.name(), null, null,
                districtGeometry);
        return new DistrictAreas(spec, projection, districtMetric, district, streets, communities, List.of(grids));
    }

    /** A smooth random blob: an ellipse whose radius is modulated by a few low harmonics. */
    private Polygon irregularOutline(SplittableRandom rnd) {
        int harmonics = 5;
        double[] amplitude = new double[harmonics];
        double[] phase = new double[harmonics];
        for (int k = 0; k < harmonics; k++) {
            amplitude[k] = 0.15 / Math.sqrt(k + 2) * rnd.nextDouble(0.3, 1);
            phase[k] = rnd.nextDouble(2 * Math.PI);
        }
        int vertices = 240;
        Coordinate[] ring = new Coordinate[vertices + 1];
        for (int i = 0; i < vertices; i++) {
            double theta = 2 * Math.PI * i / vertices;
            double r = 1;
            for (int k = 0; k < harmonics; k++) {
                r += amplitude[k] * Math.cos((k + 2) * theta + phase[k]);
            }
            ring[i] = new Coordinate(HALF_WIDTH_M * r * Math.cos(theta), HALF_HEIGHT_M * r * Math.sin(theta));
        }
        ring[vertices] = new Coordinate(ring[0]);
        return metricFactory.createPolygon(ring);
    }

    /** Hexagonal lattice sized for {@link #TARGET_GRIDS} cells inside the outline, plus a margin of outer seeds. */
    private List<Site> jitteredLattice(Polygon outline, SplittableRandom rnd) {
        double spacing = Math.sqrt(outline.getArea() / (TARGET_GRIDS * ROW_FACTOR));
        double rowHeight = spacing * ROW_FACTOR;
        Envelope env = outline.getEnvelopeInternal();
        List<Site> sites = new ArrayList<>();
        int firstRow = (int) Math.floor(env.getMinY() / rowHeight) - 3;
        int lastRow = (int) Math.ceil(env.getMaxY() / rowHeight) + 3;
        int firstColumn = (int) Math.floor(env.getMinX() / spacing) - 3;
        int lastColumn = (int) Math.ceil(env.getMaxX() / spacing) + 3;
        for (int row = firstRow; row <= lastRow; row++) {
            double shift = Math.floorMod(row, 2) * 0.5;
            for (int column = firstColumn; column <= lastColumn; column++) {
                double x = (column + shift + rnd.nextDouble(-0.25, 0.25)) * spacing;
                double y = (row + rnd.nextDouble(-0.25, 0.25)) * rowHeight;
                sites.add(new Site(new Coordinate(x, y), row));
            }
        }
        return sites;
    }

    /** Voronoi cell of each site, indexed like {@code sites}. */
    private Polygon[] voronoiCells(List<Site> sites, Envelope outlineEnvelope) {
        Map<Coordinate, Integer> indexOf = new HashMap<>();
        List<Coordinate> coordinates = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            indexOf.put(sites.get(i).at(), i);
            coordinates.add(sites.get(i).at());
        }
        VoronoiDiagramBuilder builder = new VoronoiDiagramBuilder();
        builder.setSites(coordinates);
        Envelope clip = new Envelope(outlineEnvelope);
        clip.expandBy(outlineEnvelope.getWidth());
        builder.setClipEnvelope(clip);
        Geometry diagram = builder.getDiagram(metricFactory);
        Polygon[] cells = new Polygon[sites.size()];
        for (int i = 0; i < diagram.getNumGeometries(); i++) {
            Polygon cell = (Polygon) diagram.getGeometryN(i);
            cells[indexOf.get((Coordinate) cell.getUserData())] = cell;
        }
        return cells;
    }

    /** Keeps the largest connected part and fills holes, so the district is one polygon without holes. */
    private void makeSimplyConnected(boolean[] kept, Polygon[] cells, List<Site> sites, LocalProjection projection) {
        for (int attempt = 0; attempt < 20; attempt++) {
            Geometry union = CoverageUnion.union(keptCells(kept, cells));
            Polygon main = largestPolygon(union);
            if (union instanceof Polygon && main.getNumInteriorRing() == 0) {
                return;
            }
            PreparedGeometry shell = PreparedGeometryFactory.prepare(lonLatFactory.createPolygon(
                    main.getExteriorRing().getCoordinates()));
            for (int i = 0; i < kept.length; i++) {
                kept[i] = shell.contains(lonLatFactory.createPoint(projection.toLonLat(sites.get(i).at())));
            }
        }
        throw new IllegalStateException("could not build a simply connected district");
    }

    private static Geometry[] keptCells(boolean[] kept, Polygon[] cells) {
        List<Geometry> list = new ArrayList<>();
        for (int i = 0; i < kept.length; i++) {
            if (kept[i]) {
                list.add(cells[i]);
            }
        }
        return list.toArray(Geometry[]::new);
    }

    private static Polygon largestPolygon(Geometry geometry) {
        Polygon best = null;
        for (int i = 0; i < geometry.getNumGeometries(); i++) {
            Polygon p = (Polygon) geometry.getGeometryN(i);
            if (best == null || p.getArea() > best.getArea()) {
                best = p;
            }
        }
        return best;
    }

    private static Polygon singlePolygon(Geometry geometry, String code) {
        if (geometry instanceof Polygon p) {
            return p;
        }
        if (geometry instanceof MultiPolygon m && m.getNumGeometries() == 1) {
            return (Polygon) m.getGeometryN(0);
        }
        throw new IllegalStateException("area " + code + " is not a single polygon: " + geometry.getGeometryType());
    }

    /** Cells are adjacent when they share an edge (identical rounded vertices, in either direction). */
    static int[][] sharedEdgeAdjacency(Polygon[] cells) {
        record Edge(long ax, long ay, long bx, long by) {
        }
        Map<Edge, Integer> firstOwner = new HashMap<>();
        List<List<Integer>> neighbours = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
            neighbours.add(new ArrayList<>());
        }
        for (int i = 0; i < cells.length; i++) {
            Coordinate[] ring = cells[i].getExteriorRing().getCoordinates();
            for (int k = 0; k + 1 < ring.length; k++) {
                long ax = Math.round(ring[k].x * 1e7);
                long ay = Math.round(ring[k].y * 1e7);
                long bx = Math.round(ring[k + 1].x * 1e7);
                long by = Math.round(ring[k + 1].y * 1e7);
                boolean forward = ax < bx || ax == bx && ay < by;
                Edge edge = forward ? new Edge(ax, ay, bx, by) : new Edge(bx, by, ax, ay);
                Integer other = firstOwner.putIfAbsent(edge, i);
                if (other != null && other != i && !neighbours.get(i).contains(other)) {
                    neighbours.get(i).add(other);
                    neighbours.get(other).add(i);
                }
            }
        }
        int[][] result = new int[cells.length][];
        for (int i = 0; i < cells.length; i++) {
            result[i] = neighbours.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return result;
    }

    /** Adjacency between groups: two groups touch when any of their members do. */
    private static int[][] quotientAdjacency(int[][] adjacency, int[] group, int groups) {
        boolean[][] touches = new boolean[groups][groups];
        for (int v = 0; v < adjacency.length; v++) {
            for (int u : adjacency[v]) {
                if (group[u] != group[v]) {
                    touches[group[v]][group[u]] = true;
                }
            }
        }
        int[][] result = new int[groups][];
        for (int a = 0; a < groups; a++) {
            List<Integer> list = new ArrayList<>();
            for (int b = 0; b < groups; b++) {
                if (touches[a][b]) {
                    list.add(b);
                }
            }
            result[a] = list.stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    /** k-means centres (a few Lloyd iterations), each snapped to a distinct nearest node. */
    private static int[] kMeansSources(double[] xs, double[] ys, double[] weight, int k, SplittableRandom rnd) {
        int n = xs.length;
        if (n < k) {
            throw new IllegalStateException("only " + n + " nodes for " + k + " groups");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        double[] cx = new double[k];
        double[] cy = new double[k];
        for (int c = 0; c < k; c++) {
            cx[c] = xs[order[c]];
            cy[c] = ys[order[c]];
        }
        for (int iteration = 0; iteration < 15; iteration++) {
            double[] sx = new double[k];
            double[] sy = new double[k];
            double[] sw = new double[k];
            for (int v = 0; v < n; v++) {
                int c = nearest(cx, cy, xs[v], ys[v], null);
                sx[c] += xs[v] * weight[v];
                sy[c] += ys[v] * weight[v];
                sw[c] += weight[v];
            }
            for (int c = 0; c < k; c++) {
                if (sw[c] > 0) {
                    cx[c] = sx[c] / sw[c];
                    cy[c] = sy[c] / sw[c];
                }
            }
        }
        boolean[] used = new boolean[n];
        int[] sources = new int[k];
        for (int c = 0; c < k; c++) {
            sources[c] = nearest(xs, ys, cx[c], cy[c], used);
            used[sources[c]] = true;
        }
        return sources;
    }

    private static int nearest(double[] xs, double[] ys, double x, double y, boolean[] excluded) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < xs.length; i++) {
            if (excluded != null && excluded[i]) {
                continue;
            }
            double d = (xs[i] - x) * (xs[i] - x) + (ys[i] - y) * (ys[i] - y);
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        return best;
    }

    /**
     * Assigns every node to the source with the shortest path through the graph (Dijkstra from all sources);
     * each node inherits its predecessor's group, so every group is connected.
     */
    static int[] graphVoronoi(int[][] adjacency, double[] xs, double[] ys, int[] sources) {
        int n = adjacency.length;
        double[] distance = new double[n];
        int[] owner = new int[n];
        Arrays.fill(distance, Double.POSITIVE_INFINITY);
        Arrays.fill(owner, -1);
        record Entry(double distance, int node) {
        }
        PriorityQueue<Entry> queue = new PriorityQueue<>(
                Comparator.comparingDouble(Entry::distance).thenComparingInt(Entry::node));
        for (int k = 0; k < sources.length; k++) {
            distance[sources[k]] = 0;
            owner[sources[k]] = k;
            queue.add(new Entry(0, sources[k]));
        }
        boolean[] done = new boolean[n];
        while (!queue.isEmpty()) {
            Entry entry = queue.poll();
            int v = entry.node();
            if (done[v]) {
                continue;
            }
            done[v] = true;
            for (int u : adjacency[v]) {
                if (done[u]) {
                    continue;
                }
                double d = entry.distance() + Math.hypot(xs[u] - xs[v], ys[u] - ys[v]);
                if (d < distance[u] || d == distance[u] && owner[v] < owner[u]) {
                    distance[u] = d;
                    owner[u] = owner[v];
                    queue.add(new Entry(d, u));
                }
            }
        }
        for (int v = 0; v < n; v++) {
            if (owner[v] < 0) {
                throw new IllegalStateException("graph is not connected");
            }
        }
        return owner;
    }

    private static double meanOf(double[] values, int[] group, int g) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < group.length; i++) {
            if (group[i] == g) {
                sum += values[i];
                count++;
            }
        }
        return sum / count;
    }

    /** Indices 0..n-1 sorted north→south in bands of {@code band} metres, then west→east. */
    private static Integer[] sortedBy(int n, java.util.function.IntToDoubleFunction y,
            java.util.function.IntToDoubleFunction x, double band) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> Math.floor(-y.applyAsDouble(i) / band))
                .thenComparingDouble(x::applyAsDouble));
        return order;
    }

    private static int[] indicesOf(boolean[] flags) {
        int count = 0;
        for (boolean f : flags) {
            if (f) {
                count++;
            }
        }
        int[] result = new int[count];
        int k = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                result[k++] = i;
            }
        }
        return result;
    }

    private static double[] ones(int n) {
        double[] result = new double[n];
        Arrays.fill(result, 1);
        return result;
    }
}

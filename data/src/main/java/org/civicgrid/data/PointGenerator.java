package org.civicgrid.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.locationtech.jts.densify.Densifier;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.quadtree.Quadtree;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.linearref.LengthIndexedLine;
import org.locationtech.jts.operation.distance.IndexedFacetDistance;

/** Places named measurement points of every type in one district. */
final class PointGenerator {

    /** Relative share of the points left after the per-area ones (communities, practice sites, halls). */
    private static final Map<String, Integer> MIX = new LinkedHashMap<>();

    static {
        String spec = "BANK:110 HOSPITAL:22 WINDOW_UNIT:70 HOTEL:70 MALL_SUPERMARKET:90 CULTURAL_FACILITY:30 "
                + "INTERNET_CAFE:25 BUS_STOP:300 INTERSECTION:120 PUBLIC_TOILET:110 PUBLIC_SQUARE:14 PARK:22 "
                + "SCENIC_SPOT:10 BACK_STREET:160 COMMERCIAL_STREET:16 MAIN_ROAD:60 URBAN_RURAL_FRINGE:8 "
                + "RESIDENTIAL_COMPOUND:260 OLD_COMPOUND:170 NO_PROPERTY_COMPOUND:60 RESETTLEMENT_COMPOUND:40 "
                + "FARMERS_MARKET:30 SCHOOL:55 SCHOOL_SURROUNDINGS:45 CONSTRUCTION_SITE:40 TOWNSHIP:3";
        for (String part : spec.split(" ")) {
            String[] kv = part.split(":");
            MIX.put(kv[0], Integer.parseInt(kv[1]));
        }
    }

    private static final String[] BANKS = { "中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行",
        "中国邮政储蓄银行", "招商银行", "江苏银行", "苏州农商银行" };

    private record School(String name, Coordinate centre, double width, double height, double angle) {
    }

    private final DistrictAreas areas;
    private final RoadNetwork roads;
    private final Vocabulary vocabulary;
    private final SplittableRandom rnd;
    private final GeometryFactory metricFactory = new GeometryFactory();
    private final PreparedGeometry metricDistrict;
    private final IndexedFacetDistance boundaryDistance;
    private final STRtree communityIndex = new STRtree();
    private final Map<String, DistrictAreas.Area> streetByCode = new LinkedHashMap<>();
    private final List<School> schools = new ArrayList<>();
    /** Polygons placed so far (metric), so compounds, markets and sites do not pile on top of each other. */
    private final Quadtree placed = new Quadtree();
    private int overlapAttempts = 150;
    /** Road crossings in random order, so a partial set of intersections is spread over the district. */
    private final List<RoadNetwork.Crossing> crossings;
    private final String districtName;
    private int namedOnce;

    PointGenerator(DistrictAreas areas, RoadNetwork roads, Vocabulary vocabulary, SplittableRandom rnd) {
        this.areas = areas;
        this.roads = roads;
        this.vocabulary = vocabulary;
        this.rnd = rnd;
        this.metricDistrict = PreparedGeometryFactory.prepare(areas.districtMetric());
        this.boundaryDistance = new IndexedFacetDistance(areas.districtMetric().getBoundary());
        this.districtName = areas.spec().name();
        for (DistrictAreas.Area community : areas.communities()) {
            communityIndex.insert(community.geometry().getEnvelopeInternal(),
                    PreparedGeometryFactory.prepare(community.geometry()));
        }
        for (DistrictAreas.Area street : areas.streets()) {
            streetByCode.put(street.code(), street);
        }
        List<RoadNetwork.Crossing> shuffled = new ArrayList<>(roads.crossings());
        for (int i = shuffled.size() - 1; i > 0; i--) {
            java.util.Collections.swap(shuffled, i, rnd.nextInt(i + 1));
        }
        this.crossings = shuffled;
    }

    /** Point counts per type (in vocabulary order) for a district with {@code total} points. */
    static Map<String, Integer> counts(Vocabulary vocabulary, long total, int streets, int communities) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int fixed = communities + (1 + streets + communities) + (1 + streets);
        long remaining = Math.max(0, total - fixed);
        int weightSum = MIX.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Double> fractions = new LinkedHashMap<>();
        long assigned = 0;
        for (PointType type : vocabulary.pointTypes()) {
            String code = type.code();
            switch (code) {
                case "COMMUNITY" -> counts.put(code, communities);
                case "CIVILIZATION_PRACTICE" -> counts.put(code, 1 + streets + communities);
                case "GOV_SERVICE_HALL" -> counts.put(code, 1 + streets);
                default -> {
                    Integer weight = MIX.get(code);
                    if (weight == null) {
                        throw new IllegalStateException("no point mix for type " + code);
                    }
                    double exact = (double) remaining * weight / weightSum;
                    counts.put(code, (int) Math.floor(exact));
                    fractions.put(code, exact - Math.floor(exact));
                    assigned += (long) Math.floor(exact);
                }
            }
        }
        // Largest remainder, ties in vocabulary order, so the total is exact.
        List<String> byFraction = new ArrayList<>(fractions.keySet());
        byFraction.sort((a, b) -> Double.compare(fractions.get(b), fractions.get(a)));
        for (int i = 0; i < remaining - assigned; i++) {
            String code = byFraction.get(i % byFraction.size());
            counts.put(code, counts.get(code) + 1);
        }
        return counts;
    }

    /** Generates the points; ids continue from {@code firstId}. */
    List<DemoPoint> generate(long total, long firstId) {
        Map<String, Integer> counts = counts(vocabulary, total, areas.streets().size(), areas.communities().size());
        List<DemoPoint> points = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            namedOnce = 0;
            for (int i = 0; i < entry.getValue(); i++) {
                String id = String.format(Locale.ROOT, "P%06d", firstId + points.size());
                points.add(create(id, entry.getKey(), i));
            }
        }
        return points;
    }

    private DemoPoint create(String id, String type, int ordinal) {
        return switch (type) {
            case "CIVILIZATION_PRACTICE" -> civilizationPractice(id, ordinal);
            case "GOV_SERVICE_HALL" -> serviceHall(id, ordinal);
            case "COMMUNITY" -> communityOffice(id, ordinal);
            case "INTERSECTION" -> intersection(id, ordinal);
            case "BUS_STOP" -> busStop(id);
            case "MAIN_ROAD" -> mainRoad(id);
            case "BACK_STREET", "COMMERCIAL_STREET" -> street(id, type);
            case "SCHOOL_SURROUNDINGS" -> schoolSurroundings(id, ordinal);
            default -> vocabulary.pointType(type).geometryKind() == GeometryKind.POLYGON
                    ? polygonPoint(id, type) : plainPoint(id, type);
        };
    }

    // ---- per-area points -------------------------------------------------------------------------------

    private DemoPoint civilizationPractice(String id, int ordinal) {
        int streets = areas.streets().size();
        if (ordinal == 0) {
            Coordinate at = randomPointIn(areas.grids().get(areas.grids().size() / 2).geometry());
            return point(id, "CIVILIZATION_PRACTICE", districtName + "新时代文明实践中心", at, districtName + "委宣传部");
        }
        if (ordinal <= streets) {
            DistrictAreas.Area street = areas.streets().get(ordinal - 1);
            Coordinate at = randomPointIn(randomGridOf(street.code()).geometry());
            return point(id, "CIVILIZATION_PRACTICE", street.name() + "新时代文明实践所", at, street.name() + "办事处");
        }
        DistrictAreas.Area community = areas.communities().get(ordinal - 1 - streets);
        Coordinate at = randomPointIn(randomGridOf(community.code()).geometry());
        return point(id, "CIVILIZATION_PRACTICE", community.name() + "新时代文明实践站", at,
                community.name() + "居民委员会");
    }

    private DemoPoint serviceHall(String id, int ordinal) {
        if (ordinal == 0) {
            Coordinate at = randomPointIn(areas.grids().get(areas.grids().size() / 2 + 1).geometry());
            return point(id, "GOV_SERVICE_HALL", districtName + "政务服务中心", at, districtName + "行政审批局");
        }
        DistrictAreas.Area street = areas.streets().get((ordinal - 1) % areas.streets().size());
        Coordinate at = randomPointIn(randomGridOf(street.code()).geometry());
        return point(id, "GOV_SERVICE_HALL", street.name() + "便民服务中心", at, street.name() + "办事处");
    }

    private DemoPoint communityOffice(String id, int ordinal) {
        DistrictAreas.Area community = areas.communities().get(ordinal % areas.communities().size());
        Coordinate at = randomPointIn(randomGridOf(community.code()).geometry());
        return point(id, "COMMUNITY", community.name(), at, community.name() + "居民委员会");
    }

    // ---- road-based points -----------------------------------------------------------------------------

    private DemoPoint intersection(String id, int ordinal) {
        if (ordinal < crossings.size()) {
            RoadNetwork.Crossing crossing = crossings.get(ordinal);
            Coordinate at = areas.projection().toLonLat(crossing.at());
            if (areas.preparedDistrict().contains(metricFactory.createPoint(at))) {
                return point(id, "INTERSECTION", crossing.a().name() + "—" + crossing.b().name() + "路口", at,
                        districtName + "公安分局交警大队");
            }
        }
        // More intersections than road crossings: use junctions of a road with a lane.
        Coordinate metric = randomOnRoad(0);
        RoadNetwork.Road road = roads.nearestRoad(metric);
        String name = road.name() + "—" + NameBank.stem(rnd) + "巷路口";
        return point(id, "INTERSECTION", name, areas.projection().toLonLat(metric), districtName + "公安分局交警大队");
    }

    private DemoPoint busStop(String id) {
        Coordinate metric = randomOnRoad(rnd.nextBoolean() ? 9 : -9);
        RoadNetwork.Road road = roads.nearestRoad(metric);
        RoadNetwork.Road cross = roads.nearestRoad(metric, road);
        String name = cross == null ? road.name() + "站" : road.name() + cross.name() + "站";
        return point(id, "BUS_STOP", name, areas.projection().toLonLat(metric), districtName + "交通运输局");
    }

    private DemoPoint mainRoad(String id) {
        for (int attempt = 0; attempt < 200; attempt++) {
            RoadNetwork.Road road = roads.roads().get(rnd.nextInt(roads.roads().size()));
            LineString part = road.inside().get(rnd.nextInt(road.inside().size()));
            double available = part.getLength() - 40;
            if (available < 250) {
                continue;
            }
            double length = rnd.nextDouble(250, Math.min(800, available));
            double start = 20 + rnd.nextDouble(available - length);
            LineString section = (LineString) Densifier.densify(
                    new LengthIndexedLine(part).extractLine(start, start + length), 100);
            Geometry lonLat = areas.projection().toLonLat(section);
            if (!areas.preparedDistrict().contains(lonLat)) {
                continue;
            }
            Coordinate[] ends = { section.getCoordinateN(0), section.getCoordinateN(section.getNumPoints() - 1) };
            RoadNetwork.Road from = roads.nearestRoad(ends[0], road);
            RoadNetwork.Road to = roads.nearestRoad(ends[1], road);
            String name = from == null ? road.name()
                    : from == to ? road.name() + "(" + from.name() + "段)"
                    : road.name() + "(" + from.name() + "至" + to.name() + "段)";
            return new DemoPoint(id, "MAIN_ROAD", name, districtName + road.name(),
                    streetAt(section.getCentroid().getCoordinate()).name() + "办事处", lonLat, section);
        }
        throw new IllegalStateException("no room for a main road section");
    }

    private DemoPoint street(String id, String type) {
        boolean commercial = type.equals("COMMERCIAL_STREET");
        for (int attempt = 0; attempt < 500; attempt++) {
            Coordinate start = randomInside(60);
            double heading = rnd.nextDouble(2 * Math.PI);
            int segments = commercial ? 2 + rnd.nextInt(3) : 3 + rnd.nextInt(3);
            List<Coordinate> coordinates = new ArrayList<>(List.of(start));
            Coordinate at = start;
            for (int s = 0; s < segments; s++) {
                double step = commercial ? rnd.nextDouble(100, 190) : rnd.nextDouble(55, 130);
                heading += rnd.nextDouble(-0.5, 0.5);
                at = new Coordinate(at.x + step * Math.cos(heading), at.y + step * Math.sin(heading));
                coordinates.add(at);
            }
            LineString line = metricFactory.createLineString(coordinates.toArray(Coordinate[]::new));
            if (line.getLength() < 200 || line.getLength() > 800) {
                continue;
            }
            Geometry lonLat = areas.projection().toLonLat(line);
            if (!metricDistrict.contains(line) || !areas.preparedDistrict().contains(lonLat)) {
                continue;
            }
            DistrictAreas.Area street = streetAt(line.getCentroid().getCoordinate());
            String stem = NameBank.stem(rnd);
            String name = commercial ? stem + pick("商业街", "步行街", "美食街", "特色街区")
                    : stem + pick("巷", "巷", "弄", "里", "坊");
            return new DemoPoint(id, type, name, districtName + street.name() + name, street.name() + "办事处",
                    lonLat, line);
        }
        throw new IllegalStateException("no room for a street");
    }

    // ---- generic points and polygons -------------------------------------------------------------------

    private DemoPoint plainPoint(String id, String type) {
        Coordinate metric = randomInside(30);
        Coordinate at = areas.projection().toLonLat(metric);
        RoadNetwork.Road road = roads.nearestRoad(metric);
        String roadStem = road.name().substring(0, 2);
        String stem = NameBank.stem(rnd);
        DistrictAreas.Area street = streetAt(metric);
        String name;
        String unit = null;
        switch (type) {
            case "BANK" -> name = BANKS[rnd.nextInt(BANKS.length)] + pick(roadStem, stem) + pick("支行", "支行", "分理处");
            case "HOSPITAL" -> name = once(districtName + "人民医院", districtName + "中医医院")
                    .orElse(pick(stem + "社区卫生服务中心", stem + "医院", roadStem + "口腔医院", stem + "康复医院"));
            case "WINDOW_UNIT" -> name = pick("中国邮政" + roadStem + "营业所", "中国电信" + stem + "营业厅",
                    "中国移动" + stem + "营业厅", "中国联通" + roadStem + "营业厅");
            case "HOTEL" -> name = stem + pick("大酒店", "宾馆", "商务酒店", "精品酒店", "客栈");
            case "MALL_SUPERMARKET" -> name = stem + pick("购物中心", "超市", "生活超市", "百货商场", "便利超市");
            case "CULTURAL_FACILITY" -> name = once(districtName + "图书馆", districtName + "文化馆",
                    districtName + "博物馆").orElse(stem + pick("书店", "书房", "美术馆", "文化站", "非遗馆"));
            case "INTERNET_CAFE" -> name = stem + pick("网咖", "网吧", "电竞馆");
            case "PUBLIC_TOILET" -> {
                name = pick(road.name() + "公厕", stem + "公共厕所", road.name() + "二号公厕");
                unit = street.name() + "环卫所";
            }
            case "TOWNSHIP" -> {
                name = stem + "镇";
                unit = name + "人民政府";
            }
            default -> throw new IllegalArgumentException("not a plain point type: " + type);
        }
        return point(id, type, name, at, unit != null ? unit : name);
    }

    private DemoPoint polygonPoint(String id, String type) {
        double[] size = switch (type) {
            case "PUBLIC_SQUARE" -> new double[] { 60, 160 };
            case "PARK", "SCENIC_SPOT" -> new double[] { 80, 250 };
            case "URBAN_RURAL_FRINGE" -> new double[] { 200, 300 };
            case "FARMERS_MARKET" -> new double[] { 50, 120 };
            case "SCHOOL" -> new double[] { 70, 160 };
            case "CONSTRUCTION_SITE" -> new double[] { 50, 200 };
            default -> new double[] { 60, 160 };
        };
        double width = rnd.nextDouble(size[0], size[1]);
        double height = rnd.nextDouble(size[0], size[1]);
        double angle = rnd.nextDouble(Math.PI);
        double halfDiagonal = Math.hypot(width, height) / 2;
        for (int attempt = 0; attempt < 1000; attempt++) {
            Coordinate centre = type.equals("URBAN_RURAL_FRINGE") ? nearBoundary(halfDiagonal + 20, 650)
                    : randomInside(halfDiagonal + 20);
            Polygon metric = rectangle(centre, width, height, angle, rnd.nextInt(3) == 0);
            // Sites should not overlap; when the district gets crowded, accept an overlap rather than fail.
            if (attempt < overlapAttempts && !type.equals("URBAN_RURAL_FRINGE") && overlapsPlaced(metric)) {
                continue;
            }
            Polygon lonLat = areas.projection().toLonLat(metric);
            if (!areas.preparedDistrict().contains(lonLat)) {
                continue;
            }
            if (!type.equals("URBAN_RURAL_FRINGE")) {
                placed.insert(metric.getEnvelopeInternal(), metric);
                if (attempt >= overlapAttempts) {
                    overlapAttempts = 10; // the district is full: stop spending time on free spots
                }
            }
            return named(id, type, metric, lonLat, centre, width, height, angle);
        }
        throw new IllegalStateException("no room for a " + type + " polygon");
    }

    private DemoPoint named(String id, String type, Polygon metric, Polygon lonLat, Coordinate centre, double width,
            double height, double angle) {
        RoadNetwork.Road road = roads.nearestRoad(centre);
        String stem = NameBank.stem(rnd);
        DistrictAreas.Area street = streetAt(centre);
        DistrictAreas.Area community = communityAt(centre);
        String company = NameBank.stem(rnd);
        String name;
        String unit;
        switch (type) {
            case "PUBLIC_SQUARE" -> {
                name = stem + pick("广场", "文化广场", "市民广场");
                unit = street.name() + "办事处";
            }
            case "PARK" -> {
                name = stem + pick("公园", "游园", "口袋公园", "滨河公园");
                unit = districtName + "园林和绿化管理局";
            }
            case "SCENIC_SPOT" -> {
                name = stem + pick("古街", "园", "塔院", "古桥", "历史街区", "纪念馆");
                unit = name + "景区管理处";
            }
            case "URBAN_RURAL_FRINGE" -> {
                name = stem + pick("村", "浜", "塘") + "城乡接合部";
                unit = street.name() + "办事处";
            }
            case "RESIDENTIAL_COMPOUND" -> {
                name = stem + pick("花园", "苑", "家园", "雅苑", "名邸", "公寓");
                unit = company + "物业管理有限公司";
            }
            case "OLD_COMPOUND" -> {
                name = stem + pick("新村", "里小区", "坊", "小区");
                unit = community.name() + "居民委员会";
            }
            case "NO_PROPERTY_COMPOUND" -> {
                name = pick(stem + "小区", road.name() + "宿舍区", stem + "楼");
                unit = community.name() + "居民委员会";
            }
            case "RESETTLEMENT_COMPOUND" -> {
                name = stem + pick("新苑", "佳苑", "安置小区");
                unit = company + "物业管理有限公司";
            }
            case "FARMERS_MARKET" -> {
                name = pick(road.name() + "农贸市场", stem + "菜市场", stem + "集贸市场");
                unit = company + "市场经营管理有限公司";
            }
            case "SCHOOL" -> {
                name = pick(road.name() + "小学", stem + "实验小学", stem + "中学", stem + "初级中学",
                        districtName + "第" + NameBank.chineseNumber(1 + rnd.nextInt(20)) + "中学");
                unit = name;
                schools.add(new School(name, centre, width, height, angle));
            }
            case "CONSTRUCTION_SITE" -> {
                name = pick(stem + "花园" + pick("二期", "三期") + "项目", road.name() + "改造工程",
                        stem + "商业综合体项目", stem + "学校扩建工程") + "工地";
                unit = company + "建设工程有限公司";
            }
            default -> throw new IllegalArgumentException("not a polygon point type: " + type);
        }
        return new DemoPoint(id, type, name, address(centre, road), unit, lonLat, metric);
    }

    private DemoPoint schoolSurroundings(String id, int ordinal) {
        if (schools.isEmpty()) {
            return polygonPoint(id, "PARK");
        }
        School school = schools.get(ordinal % schools.size());
        Polygon metric = rectangle(school.centre(), school.width() + 80, school.height() + 80, school.angle(), false);
        Polygon lonLat = areas.projection().toLonLat(metric);
        if (!areas.preparedDistrict().contains(lonLat)) {
            metric = rectangle(school.centre(), school.width(), school.height(), school.angle(), false);
            lonLat = areas.projection().toLonLat(metric);
        }
        DistrictAreas.Area street = streetAt(school.centre());
        return new DemoPoint(id, "SCHOOL_SURROUNDINGS", school.name() + "校园周边",
                address(school.centre(), roads.nearestRoad(school.centre())), street.name() + "办事处", lonLat, metric);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private boolean overlapsPlaced(Polygon candidate) {
        for (Object other : placed.query(candidate.getEnvelopeInternal())) {
            if (((Polygon) other).intersects(candidate)) {
                return true;
            }
        }
        return false;
    }

    private DemoPoint point(String id, String type, String name, Coordinate lonLat, String unit) {
        Point geometry = metricFactory.createPoint(lonLat);
        Coordinate metric = areas.projection().toMetric(lonLat);
        return new DemoPoint(id, type, name, address(metric, roads.nearestRoad(metric)), unit, geometry,
                metricFactory.createPoint(metric));
    }

    private String address(Coordinate metric, RoadNetwork.Road road) {
        return districtName + road.name() + RoadNetwork.houseNumber(road, metric) + "号";
    }

    /** Uniform random point at least {@code margin} metres inside the district. */
    private Coordinate randomInside(double margin) {
        Envelope env = areas.districtMetric().getEnvelopeInternal();
        while (true) {
            Coordinate c = new Coordinate(rnd.nextDouble(env.getMinX(), env.getMaxX()),
                    rnd.nextDouble(env.getMinY(), env.getMaxY()));
            Point p = metricFactory.createPoint(c);
            if (metricDistrict.contains(p) && boundaryDistance.distance(p) > margin) {
                return c;
            }
        }
    }

    private Coordinate nearBoundary(double minDistance, double maxDistance) {
        while (true) {
            Coordinate c = randomInside(minDistance);
            if (boundaryDistance.distance(metricFactory.createPoint(c)) < maxDistance) {
                return c;
            }
        }
    }

    /** A point on (or {@code offset} metres beside) a random road, well inside the district. */
    private Coordinate randomOnRoad(double offset) {
        while (true) {
            RoadNetwork.Road road = roads.roads().get(rnd.nextInt(roads.roads().size()));
            LineString part = road.inside().get(rnd.nextInt(road.inside().size()));
            Coordinate on = new LengthIndexedLine(part).extractPoint(rnd.nextDouble(part.getLength()), offset);
            Point p = metricFactory.createPoint(on);
            if (metricDistrict.contains(p) && boundaryDistance.distance(p) > 30) {
                return on;
            }
        }
    }

    /** Random point inside a lon/lat polygon (rounded to 7 decimals). */
    private Coordinate randomPointIn(Polygon lonLat) {
        Envelope env = lonLat.getEnvelopeInternal();
        PreparedGeometry prepared = PreparedGeometryFactory.prepare(lonLat.buffer(-0.0002));
        if (prepared.getGeometry().isEmpty()) {
            prepared = PreparedGeometryFactory.prepare(lonLat);
        }
        while (true) {
            Coordinate c = new Coordinate(Fmt.round7(rnd.nextDouble(env.getMinX(), env.getMaxX())),
                    Fmt.round7(rnd.nextDouble(env.getMinY(), env.getMaxY())));
            if (prepared.contains(metricFactory.createPoint(c))) {
                return c;
            }
        }
    }

    private DistrictAreas.Grid randomGridOf(String areaCode) {
        List<DistrictAreas.Grid> matching = new ArrayList<>();
        for (DistrictAreas.Grid grid : areas.grids()) {
            if (grid.code().startsWith(areaCode)) {
                matching.add(grid);
            }
        }
        return matching.get(rnd.nextInt(matching.size()));
    }

    private DistrictAreas.Area communityAt(Coordinate metric) {
        Point p = metricFactory.createPoint(areas.projection().toLonLat(metric));
        for (Object candidate : communityIndex.query(p.getEnvelopeInternal())) {
            PreparedGeometry community = (PreparedGeometry) candidate;
            if (community.covers(p)) {
                for (DistrictAreas.Area area : areas.communities()) {
                    if (area.geometry() == community.getGeometry()) {
                        return area;
                    }
                }
            }
        }
        // Only reachable for a point on the outer boundary; fall back to the nearest community.
        DistrictAreas.Area best = areas.communities().get(0);
        for (DistrictAreas.Area area : areas.communities()) {
            if (area.geometry().distance(p) < best.geometry().distance(p)) {
                best = area;
            }
        }
        return best;
    }

    private DistrictAreas.Area streetAt(Coordinate metric) {
        return streetByCode.get(communityAt(metric).parentCode());
    }

    private Polygon rectangle(Coordinate centre, double width, double height, double angle, boolean cutCorner) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double[][] corners = cutCorner
                ? new double[][] { { -0.5, -0.5 }, { 0.5, -0.5 }, { 0.5, 0.15 }, { 0.2, 0.5 }, { -0.5, 0.5 } }
                : new double[][] { { -0.5, -0.5 }, { 0.5, -0.5 }, { 0.5, 0.5 }, { -0.5, 0.5 } };
        Coordinate[] ring = new Coordinate[corners.length + 1];
        for (int i = 0; i < corners.length; i++) {
            double x = corners[i][0] * width;
            double y = corners[i][1] * height;
            ring[i] = new Coordinate(centre.x + x * cos - y * sin, centre.y + x * sin + y * cos);
        }
        ring[corners.length] = new Coordinate(ring[0]);
        return metricFactory.createPolygon(ring);
    }

    /** The given names in turn for the first points of a type, then empty (e.g. the district's one hospital). */
    private java.util.Optional<String> once(String... names) {
        return namedOnce < names.length ? java.util.Optional.of(names[namedOnce++]) : java.util.Optional.empty();
    }

    private String pick(String... options) {
        return options[rnd.nextInt(options.length)];
    }
}

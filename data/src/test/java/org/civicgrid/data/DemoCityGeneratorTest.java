package org.civicgrid.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.coverage.CoverageGapFinder;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

class DemoCityGeneratorTest {

    private static final OffsetDateTime AS_OF = OffsetDateTime.parse("2026-11-30T00:00:00+08:00");

    @TempDir
    static Path tmp;

    private static Path out;
    private static List<DemoFiles.Feature> areas;
    private static List<DemoFiles.Feature> grids;
    private static List<DemoFiles.Feature> points;
    private static List<Map<String, String>> problems;
    private static List<Map<String, String>> managers;
    private static Vocabulary vocabulary;

    @BeforeAll
    static void generate() throws IOException {
        out = tmp.resolve("a");
        new DemoCityGenerator(GeneratorOptions.defaults(out)).run();
        areas = DemoFiles.features(out.resolve("areas.geojson"));
        grids = DemoFiles.features(out.resolve("grids.geojson"));
        points = DemoFiles.features(out.resolve("points.geojson"));
        problems = DemoFiles.csv(out.resolve("problems.csv"));
        managers = DemoFiles.csv(out.resolve("grid-managers.csv"));
        vocabulary = Vocabulary.load();
    }

    @Test
    void sameOptionsGiveIdenticalBytes() throws IOException {
        Path second = tmp.resolve("b");
        new DemoCityGenerator(GeneratorOptions.defaults(second)).run();
        for (String file : fileNames(out)) {
            assertThat(Files.mismatch(out.resolve(file), second.resolve(file))).as(file).isEqualTo(-1L);
        }
    }

    @Test
    void committedDemoCityIsUpToDate() throws IOException {
        Path committed = Path.of("demo-city");
        if (!Files.exists(committed.resolve("manifest.json"))) {
            return; // run from elsewhere; nothing committed to compare with
        }
        assertThat(fileNames(committed)).containsAll(fileNames(out));
        for (String file : fileNames(out)) {
            assertThat(Files.mismatch(out.resolve(file), committed.resolve(file)))
                    .as("data/demo-city/%s differs from a fresh run; regenerate it", file).isEqualTo(-1L);
        }
    }

    @Test
    void countsMatchTheBrief() throws IOException {
        assertThat(level("district")).hasSize(1);
        assertThat(level("street").size()).isGreaterThanOrEqualTo(6);
        assertThat(level("community").size()).isGreaterThanOrEqualTo(40);
        assertThat(grids.size()).isBetween(380, 450);
        assertThat(points.size()).isGreaterThanOrEqualTo(2000);
        assertThat(problems.size()).isBetween(4500, 5500);
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertThat(manifest).contains("\"grids\": " + grids.size(), "\"points\": " + points.size(),
                "\"problems\": " + problems.size(), "\"gridManagers\": " + managers.size(), "\"synthetic\": true",
                "\"asOf\": \"2026-11-30\"", "\"city\": \"苏州市\"");
    }

    @Test
    void codesAreWellFormedAndNested() {
        DemoFiles.Feature district = level("district").get(0);
        assertThat(district.text("code")).isEqualTo("320508");
        assertThat(district.text("name")).isEqualTo("姑苏区");
        assertThat(district.properties().get("parentCode")).isNull();
        Set<String> codes = new HashSet<>();
        for (DemoFiles.Feature area : areas) {
            String code = area.text("code");
            assertThat(codes.add(code)).as("unique %s", code).isTrue();
            switch (area.text("level")) {
                case "street" -> assertThat(code).matches("\\d{9}").startsWith(area.text("parentCode"));
                case "community" -> {
                    assertThat(code).matches("\\d{12}").startsWith(area.text("parentCode"));
                    assertThat(((Number) area.properties().get("households")).intValue()).isPositive();
                }
                default -> assertThat(code).matches("\\d{6}");
            }
            if (!area.text("level").equals("district")) {
                assertThat(codes).contains(area.text("parentCode"));
            }
        }
        for (DemoFiles.Feature grid : grids) {
            assertThat(grid.text("code")).matches("\\d{15}").startsWith(grid.text("communityCode"));
            assertThat(codes).contains(grid.text("communityCode"));
            assertThat(codes.add(grid.text("code"))).isTrue();
            assertThat(((Number) grid.properties().get("households")).intValue()).isBetween(300, 500);
        }
    }

    @Test
    void gridsTileTheirCommunityAndCommunitiesTileStreetsAndDistrict() {
        Map<String, List<Geometry>> gridsByCommunity = groupGeometries(grids, "communityCode");
        for (DemoFiles.Feature community : level("community")) {
            assertTiles(community, gridsByCommunity.get(community.text("code")));
            int households = grids.stream().filter(g -> g.text("communityCode").equals(community.text("code")))
                    .mapToInt(g -> ((Number) g.properties().get("households")).intValue()).sum();
            assertThat(((Number) community.properties().get("households")).intValue()).isEqualTo(households);
        }
        Map<String, List<Geometry>> communitiesByStreet = groupGeometries(level("community"), "parentCode");
        for (DemoFiles.Feature street : level("street")) {
            assertTiles(street, communitiesByStreet.get(street.text("code")));
        }
        assertTiles(level("district").get(0), level("street").stream().map(DemoFiles.Feature::geometry).toList());
    }

    @Test
    void gridsAreNumberedNorthToSouthThenWestToEast() {
        Map<String, List<DemoFiles.Feature>> byCommunity = new TreeMap<>();
        grids.forEach(g -> byCommunity.computeIfAbsent(g.text("communityCode"), k -> new ArrayList<>()).add(g));
        for (List<DemoFiles.Feature> list : byCommunity.values()) {
            DemoFiles.Feature first = list.get(0);
            assertThat(first.text("code")).endsWith("001");
            double maxY = list.stream().mapToDouble(g -> g.geometry().getCentroid().getY()).max().orElseThrow();
            // The first grid lies in the northernmost row (rows are about 300 m apart).
            assertThat(first.geometry().getCentroid().getY()).isGreaterThan(maxY - 0.003);
        }
    }

    @Test
    void pointsCoverEveryTypeWithFittingGeometry() {
        PreparedGeometry district = PreparedGeometryFactory.prepare(level("district").get(0).geometry());
        Map<String, Long> perType = points.stream()
                .collect(Collectors.groupingBy(p -> p.text("typeCode"), TreeMap::new, Collectors.counting()));
        for (PointType type : vocabulary.pointTypes()) {
            assertThat(perType.getOrDefault(type.code(), 0L)).as(type.code()).isGreaterThanOrEqualTo(3);
        }
        assertThat(perType.get("COMMUNITY")).isEqualTo(level("community").size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < points.size(); i++) {
            DemoFiles.Feature point = points.get(i);
            assertThat(point.text("externalId")).isEqualTo(String.format("P%06d", i + 1));
            assertThat(ids.add(point.text("externalId"))).isTrue();
            assertThat(point.text("name")).isNotBlank();
            assertThat(point.text("address")).startsWith("姑苏区");
            assertThat(point.text("responsibleUnit")).isNotBlank();
            PointType type = vocabulary.pointType(point.text("typeCode"));
            Geometry geometry = point.geometry();
            assertThat(geometry.isValid()).as(point.text("externalId")).isTrue();
            assertThat(district.contains(geometry)).as(point.text("externalId")).isTrue();
            switch (type.geometryKind()) {
                case POINT -> assertThat(geometry.getGeometryType()).isEqualTo("Point");
                case LINE -> {
                    assertThat(geometry.getGeometryType()).isEqualTo("LineString");
                    assertThat(lengthMetres(geometry)).isBetween(199.0, 801.0);
                }
                case POLYGON -> {
                    assertThat(geometry.getGeometryType()).isEqualTo("Polygon");
                    double width = geometry.getEnvelopeInternal().getWidth() * METRES_PER_DEGREE_LON;
                    double height = geometry.getEnvelopeInternal().getHeight() * METRES_PER_DEGREE_LAT;
                    assertThat(Math.max(width, height)).isBetween(50.0, 430.0);
                }
            }
        }
    }

    @Test
    void problemsAreWellFormedAndSpreadOverEveryStatus() {
        Map<String, DemoFiles.Feature> pointById = new HashMap<>();
        points.forEach(p -> pointById.put(p.text("externalId"), p));
        PreparedGeometry district = PreparedGeometryFactory.prepare(level("district").get(0).geometry());
        GeometryFactory factory = new GeometryFactory();
        Set<ProblemStatus> statuses = EnumSet.noneOf(ProblemStatus.class);
        int toDepartment = 0;
        int dispatched = 0;
        int overdueOpen = 0;
        for (int i = 0; i < problems.size(); i++) {
            Map<String, String> row = problems.get(i);
            assertThat(row.get("external_id")).isEqualTo(String.format("Q%07d", i + 1));
            ProblemStatus status = ProblemStatus.valueOf(row.get("status"));
            statuses.add(status);
            DemoFiles.Feature point = pointById.get(row.get("point_external_id"));
            assertThat(point).isNotNull();
            ProblemCategory category = vocabulary.problemCategory(row.get("category_code"));
            assertThat(ProblemProfiles.categoriesFor(point.text("typeCode"), vocabulary).items()).contains(category);
            assertThat(row.get("description")).contains(point.text("name"));
            var location = factory.createPoint(new org.locationtech.jts.geom.Coordinate(
                    Double.parseDouble(row.get("lon")), Double.parseDouble(row.get("lat"))));
            assertThat(district.contains(location)).isTrue();
            assertThat(metres(point.geometry().distance(location))).isLessThan(10);

            OffsetDateTime reported = OffsetDateTime.parse(row.get("reported_at"));
            assertThat(reported).isBefore(AS_OF).isAfter(AS_OF.minusDays(91));
            assertThat(row.get("reported_at")).endsWith(":00+08:00");
            boolean accepted = !row.get("accepted_at").isEmpty();
            boolean isDispatched = !row.get("dispatched_at").isEmpty();
            boolean closed = !row.get("closed_at").isEmpty();
            assertThat(accepted).isEqualTo(status != ProblemStatus.REPORTED && status != ProblemStatus.REJECTED);
            assertThat(isDispatched).isEqualTo(accepted && status != ProblemStatus.ACCEPTED);
            assertThat(closed).isEqualTo(status == ProblemStatus.CLOSED);
            List<OffsetDateTime> times = Stream.of("reported_at", "accepted_at", "dispatched_at", "closed_at")
                    .map(row::get).filter(s -> !s.isEmpty()).map(OffsetDateTime::parse).toList();
            for (int k = 1; k < times.size(); k++) {
                assertThat(times.get(k)).isAfterOrEqualTo(times.get(k - 1)).isBeforeOrEqualTo(AS_OF);
            }
            String department = row.get("handler_department_code");
            if (!department.isEmpty()) {
                assertThat(isDispatched).isTrue();
                assertThat(vocabulary.hasDepartment(department)).isTrue();
                toDepartment++;
            }
            if (isDispatched) {
                dispatched++;
            }
            int rework = Integer.parseInt(row.get("rework_count"));
            if (status == ProblemStatus.RETURNED) {
                assertThat(rework).isPositive();
            }
            if (accepted && !closed && status != ProblemStatus.SUSPENDED && isOverdue(row, category)) {
                overdueOpen++;
            }
        }
        assertThat(statuses).containsExactlyInAnyOrder(ProblemStatus.values());
        assertThat((double) toDepartment / dispatched).isBetween(0.2, 0.4);
        assertThat(overdueOpen).isGreaterThan(20);
        assertThat(problems.stream().filter(r -> r.get("status").equals("CLOSED"))
                .anyMatch(r -> Integer.parseInt(r.get("rework_count")) > 0)).isTrue();
        assertThat(problems.stream().filter(r -> r.get("status").equals("CLOSED"))
                .anyMatch(r -> isLate(r, vocabulary.problemCategory(r.get("category_code"))))).isTrue();
    }

    @Test
    void everyGridHasAnOwner() {
        Map<String, Integer> owners = new HashMap<>();
        Set<String> usernames = new HashSet<>();
        for (Map<String, String> manager : managers) {
            assertThat(manager.get("username")).matches("gm\\d{6}");
            assertThat(usernames.add(manager.get("username"))).isTrue();
            assertThat(manager.get("phone")).matches("1[3-9]\\d{9}");
            assertThat(manager.get("display_name")).matches("\\p{IsHan}{2,3}");
            for (String code : manager.get("grid_codes").split(";")) {
                owners.merge(code, 1, Integer::sum);
            }
        }
        assertThat(owners.keySet()).containsExactlyInAnyOrderElementsOf(grids.stream().map(g -> g.text("code")).toList());
        assertThat(owners.values()).allMatch(n -> n <= 2).contains(2);
        assertThat(managers).anyMatch(m -> m.get("grid_codes").contains(";"));
    }

    private static final WorkingCalendar CALENDAR = WorkingCalendar.loadDefault();

    private static boolean isOverdue(Map<String, String> row, ProblemCategory category) {
        var accepted = OffsetDateTime.parse(row.get("accepted_at")).toLocalDateTime();
        return CALENDAR.workingMinutesBetween(accepted, AS_OF.toLocalDateTime()) > category.timeLimitHours() * 60L;
    }

    private static boolean isLate(Map<String, String> row, ProblemCategory category) {
        var accepted = OffsetDateTime.parse(row.get("accepted_at")).toLocalDateTime();
        var closed = OffsetDateTime.parse(row.get("closed_at")).toLocalDateTime();
        return CALENDAR.workingMinutesBetween(accepted, closed) > category.timeLimitHours() * 60L;
    }

    private static void assertTiles(DemoFiles.Feature parent, List<Geometry> children) {
        assertThat(children).as(parent.text("code")).isNotEmpty();
        assertThat(parent.geometry()).isInstanceOf(Polygon.class);
        assertThat(parent.geometry().isValid()).isTrue();
        Geometry[] coverage = children.toArray(Geometry[]::new);
        for (Geometry child : coverage) {
            assertThat(child).isInstanceOf(Polygon.class);
            assertThat(child.isValid()).isTrue();
        }
        assertThat(CoverageValidator.validate(coverage, 1e-4)).as("coverage of %s", parent.text("code"))
                .containsOnlyNulls();
        assertThat(CoverageGapFinder.findGaps(coverage, 1e-4).isEmpty()).isTrue();
        Geometry union = CoverageUnion.union(coverage);
        double childArea = children.stream().mapToDouble(Geometry::getArea).sum();
        double parentArea = parent.geometry().getArea();
        assertThat(Math.abs(childArea - parentArea) / parentArea).isLessThan(1e-9);
        assertThat(Math.abs(union.getArea() - parentArea) / parentArea).isLessThan(1e-9);
        assertThat(union.symDifference(parent.geometry()).getArea() / parentArea).isLessThan(1e-9);
    }

    private static Map<String, List<Geometry>> groupGeometries(List<DemoFiles.Feature> features, String key) {
        Map<String, List<Geometry>> map = new HashMap<>();
        features.forEach(f -> map.computeIfAbsent(f.text(key), k -> new ArrayList<>()).add(f.geometry()));
        return map;
    }

    private static List<DemoFiles.Feature> level(String level) {
        return areas.stream().filter(a -> a.text("level").equals(level)).toList();
    }

    /** Rough degrees → metres near 31.3°N, good enough for distance checks. */
    private static double metres(double degrees) {
        return degrees * 100_000;
    }

    private static double lengthMetres(Geometry line) {
        var c = line.getCoordinates();
        double total = 0;
        for (int i = 1; i < c.length; i++) {
            total += Math.hypot((c[i].x - c[i - 1].x) * METRES_PER_DEGREE_LON, (c[i].y - c[i - 1].y) * METRES_PER_DEGREE_LAT);
        }
        return total;
    }

    private static final double METRES_PER_DEGREE_LAT = 110_574;
    private static final double METRES_PER_DEGREE_LON = 111_320 * Math.cos(Math.toRadians(31.31));

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".md")).sorted().toList();
        }
    }
}

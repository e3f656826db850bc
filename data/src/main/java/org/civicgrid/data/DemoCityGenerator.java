package org.civicgrid.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.GeometryFactory;

/**
 * Generates the synthetic demo city (or K districts of it for benchmarks) into a directory:
 * {@code manifest.json}, {@code areas.geojson}, {@code grids.geojson}, {@code grid-managers.csv},
 * {@code points.geojson} and {@code problems.csv}. Output is a pure function of the options; problems are
 * streamed district by district, so memory does not grow with {@code --problems}.
 *
 * <pre>java -cp ... org.civicgrid.data.DemoCityGenerator [--out data/demo-city] [--seed 20261130]
 *     [--as-of 2026-11-30] [--scale 1] [--points N] [--problems N]</pre>
 */
public final class DemoCityGenerator {

    public static final String CITY = "苏州市";

    /** What was written; the counts also go into {@code manifest.json}. */
    public record Result(Map<String, Long> counts, Map<ProblemStatus, Long> statusCounts) {
    }

    private final GeneratorOptions options;
    private final Vocabulary vocabulary;
    private final WorkingCalendar calendar;

    public DemoCityGenerator(GeneratorOptions options) {
        this(options, Vocabulary.load(), WorkingCalendar.loadDefault());
    }

    public DemoCityGenerator(GeneratorOptions options, Vocabulary vocabulary, WorkingCalendar calendar) {
        this.options = options;
        this.vocabulary = vocabulary;
        this.calendar = calendar;
    }

    public static void main(String[] args) throws IOException {
        GeneratorOptions options;
        try {
            options = GeneratorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        Result result = new DemoCityGenerator(options).run();
        System.out.printf(java.util.Locale.ROOT, "wrote %s in %.1f s: %s%n  problem statuses: %s%n",
                options.out(), (System.nanoTime() - started) / 1e9, result.counts(), result.statusCounts());
    }

    public Result run() throws IOException {
        Path out = options.out();
        Files.createDirectories(out);
        GeometryFactory lonLatFactory = new GeometryFactory();
        AreaTessellator tessellator = new AreaTessellator(lonLatFactory);
        GridManagerGenerator managers = new GridManagerGenerator();
        long streets = 0;
        long communities = 0;
        long points = 0;
        long problems = 0;
        long gridManagers = 0;
        Map<ProblemStatus, Long> statuses = new EnumMap<>(ProblemStatus.class);
        try (GeoJsonWriter areaOut = new GeoJsonWriter(out.resolve("areas.geojson"));
                GeoJsonWriter gridOut = new GeoJsonWriter(out.resolve("grids.geojson"));
                GeoJsonWriter pointOut = new GeoJsonWriter(out.resolve("points.geojson"));
                Writer managerOut = textWriter(out.resolve("grid-managers.csv"));
                Writer problemOut = textWriter(out.resolve("problems.csv"))) {
            managerOut.write(GridManagerGenerator.HEADER);
            problemOut.write(ProblemGenerator.HEADER);
            for (int d = 0; d < options.scale(); d++) {
                DistrictSpec spec = DistrictSpec.of(d, options.scale());
                var nameRandom = Seeds.stream(options.seed(), d, Seeds.NAMES);
                List<String> areaStems = NameBank.shuffledStems(nameRandom);
                List<String> roadStems = NameBank.shuffledStems(nameRandom);
                DistrictAreas areas = tessellator.build(spec, Seeds.stream(options.seed(), d, Seeds.GEOMETRY),
                        areaStems);
                RoadNetwork roads = new RoadNetwork(areas.districtMetric(), nameRandom, roadStems,
                        new GeometryFactory());
                List<DemoPoint> districtPoints = new PointGenerator(areas, roads, vocabulary,
                        Seeds.stream(options.seed(), d, Seeds.POINTS))
                        .generate(GeneratorOptions.shareOf(options.totalPoints(), options.scale(), d), points + 1);

                writeAreas(areaOut, areas);
                writeGrids(gridOut, areas);
                writePoints(pointOut, districtPoints);
                gridManagers += managers.write(managerOut, areas, Seeds.stream(options.seed(), d, Seeds.MANAGERS));
                ProblemGenerator problemGenerator = new ProblemGenerator(areas, districtPoints, vocabulary, calendar,
                        options.asOf(), Seeds.stream(options.seed(), d, Seeds.PROBLEMS));
                problems += problemGenerator.write(problemOut,
                        GeneratorOptions.shareOf(options.totalProblems(), options.scale(), d), problems + 1);
                problemGenerator.statusCounts().forEach((status, n) -> statuses.merge(status, n, Long::sum));

                streets += areas.streets().size();
                communities += areas.communities().size();
                points += districtPoints.size();
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("districts", (long) options.scale());
            counts.put("streets", streets);
            counts.put("communities", communities);
            counts.put("grids", gridOut.count());
            counts.put("points", points);
            counts.put("problems", problems);
            counts.put("gridManagers", gridManagers);
            writeManifest(out.resolve("manifest.json"), counts);
            return new Result(counts, statuses);
        }
    }

    private static void writeAreas(GeoJsonWriter out, DistrictAreas areas) throws IOException {
        writeArea(out, areas.district());
        for (DistrictAreas.Area street : areas.streets()) {
            writeArea(out, street);
        }
        for (DistrictAreas.Area community : areas.communities()) {
            writeArea(out, community);
        }
    }

    private static void writeArea(GeoJsonWriter out, DistrictAreas.Area area) throws IOException {
        out.write(new GeoJsonWriter.Properties().put("level", area.level()).put("code", area.code())
                .put("name", area.name()).put("parentCode", area.parentCode())
                .put("households", area.households()), area.geometry());
    }

    private static void writeGrids(GeoJsonWriter out, DistrictAreas areas) throws IOException {
        for (DistrictAreas.Grid grid : areas.grids()) {
            out.write(new GeoJsonWriter.Properties().put("code", grid.code()).put("name", grid.name())
                    .put("communityCode", grid.communityCode()).put("households", grid.households()),
                    grid.geometry());
        }
    }

    private static void writePoints(GeoJsonWriter out, List<DemoPoint> points) throws IOException {
        for (DemoPoint point : points) {
            out.write(new GeoJsonWriter.Properties().put("externalId", point.externalId())
                    .put("typeCode", point.typeCode()).put("name", point.name()).put("address", point.address())
                    .put("responsibleUnit", point.responsibleUnit()), point.lonLat());
        }
    }

    private void writeManifest(Path file, Map<String, Long> counts) throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"seed\": ").append(options.seed()).append(",\n");
        json.append("  \"scale\": ").append(options.scale()).append(",\n");
        json.append("  \"asOf\": \"").append(options.asOf()).append("\",\n");
        json.append("  \"synthetic\": true,\n");
        json.append("  \"city\": ");
        Fmt.appendJsonString(json, CITY).append(",\n");
        json.append("  \"note\": ");
        Fmt.appendJsonString(json, "Synthetic demo data. District " + DistrictSpec.FIRST_CODE
                + " 姑苏区 is placed at its real location, but its outline, streets, communities, grids, points, "
                + "names, people, phone numbers and problems are generated and do not match real boundaries "
                + "or places.").append(",\n");
        json.append("  \"timestampsBefore\": \"").append(options.asOf()).append("T00:00:00+08:00\",\n");
        json.append("  \"problemWindowDays\": ").append(ProblemGenerator.WINDOW_DAYS).append(",\n");
        json.append("  \"counts\": {");
        boolean first = true;
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            json.append(first ? "\n" : ",\n").append("    \"").append(entry.getKey()).append("\": ")
                    .append(entry.getValue());
            first = false;
        }
        json.append("\n  }\n}\n");
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    private static Writer textWriter(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
                1 << 16);
    }
}

package org.civicgrid.data;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.locationtech.jts.algorithm.PointLocation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.linearref.LengthIndexedLine;

/** Streams one district's problems to {@code problems.csv}, one row at a time, in reporting order. */
final class ProblemGenerator {

    static final String HEADER = "external_id,point_external_id,category_code,status,lon,lat,description,"
            + "reported_at,accepted_at,dispatched_at,closed_at,handler_department_code,rework_count\n";
    static final int WINDOW_DAYS = 90;
    /** Share of dispatched problems that go to a department rather than the grid manager. */
    private static final double DEPARTMENT_SHARE = 0.30;

    private final DistrictAreas areas;
    private final Vocabulary vocabulary;
    private final WorkingCalendar calendar;
    private final long asOf;
    private final SplittableRandom rnd;
    private final WeightedChoice<DemoPoint> pointChoice;
    private final Map<String, WeightedChoice<ProblemCategory>> categoriesByType = new HashMap<>();
    private final Map<String, LengthIndexedLine> lineIndex = new HashMap<>();
    private final GeometryFactory factory = new GeometryFactory();
    private final Map<ProblemStatus, Long> statusCounts = new EnumMap<>(ProblemStatus.class);

    ProblemGenerator(DistrictAreas areas, List<DemoPoint> points, Vocabulary vocabulary, WorkingCalendar calendar,
            LocalDate asOf, SplittableRandom rnd) {
        this.areas = areas;
        this.vocabulary = vocabulary;
        this.calendar = calendar;
        this.asOf = asOf.toEpochDay() * 1440;
        this.rnd = rnd;
        double[] weights = new double[points.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = ProblemProfiles.problemRate(points.get(i).typeCode());
        }
        this.pointChoice = new WeightedChoice<>(points, weights);
    }

    /** Writes {@code count} rows with ids from {@code firstId}; returns how many rows were written. */
    long write(Writer out, long count, long firstId) throws IOException {
        long[] reportedAt = new long[Math.toIntExact(count)];
        for (int i = 0; i < reportedAt.length; i++) {
            reportedAt[i] = sampleReportTime();
        }
        Arrays.sort(reportedAt);
        ProblemTimeline timeline = new ProblemTimeline(calendar);
        StringBuilder row = new StringBuilder(320);
        for (int i = 0; i < reportedAt.length; i++) {
            DemoPoint point = pointChoice.pick(rnd);
            ProblemCategory category = categoriesByType
                    .computeIfAbsent(point.typeCode(), t -> ProblemProfiles.categoriesFor(t, vocabulary)).pick(rnd);
            Coordinate location = locationNear(point);
            String description = ProblemProfiles.describe(category.code(), point.name(), rnd);
            timeline.simulate(reportedAt[i], category.timeLimitHours(), asOf, rnd);
            String handler = "";
            if (timeline.dispatchedAt != ProblemTimeline.NONE && rnd.nextDouble() < DEPARTMENT_SHARE) {
                handler = handlerDepartment(category);
            }
            statusCounts.merge(timeline.status, 1L, Long::sum);

            row.setLength(0);
            row.append('Q');
            appendPadded(row, firstId + i, 7);
            row.append(',').append(point.externalId()).append(',').append(category.code()).append(',')
                    .append(timeline.status.name()).append(',');
            Fmt.appendDegrees(row, location.x).append(',');
            Fmt.appendDegrees(row, location.y).append(',');
            Csv.appendField(row, description);
            row.append(',');
            Fmt.appendTimestamp(row, reportedAt[i]).append(',');
            appendTime(row, timeline.acceptedAt).append(',');
            appendTime(row, timeline.dispatchedAt).append(',');
            appendTime(row, timeline.closedAt).append(',');
            row.append(handler).append(',').append(timeline.reworkCount).append('\n');
            out.append(row);
        }
        return reportedAt.length;
    }

    Map<ProblemStatus, Long> statusCounts() {
        return statusCounts;
    }

    /** Within the 90 days before as-of; mostly working days in office hours, slowly rising towards as-of. */
    private long sampleReportTime() {
        long firstDay = asOf / 1440 - WINDOW_DAYS;
        while (true) {
            int offset = rnd.nextInt(WINDOW_DAYS);
            long day = firstDay + offset;
            boolean working = calendar.isWorkingDay(day);
            double acceptance = (0.7 + 0.6 * offset / WINDOW_DAYS) / 1.3 * (working ? 1 : 0.45);
            if (rnd.nextDouble() >= acceptance) {
                continue;
            }
            int minute = working && rnd.nextDouble() < 0.88 ? rnd.nextInt(8 * 60 + 30, 18 * 60)
                    : rnd.nextInt(7 * 60, 22 * 60);
            return day * 1440 + minute;
        }
    }

    /** A spot at or within a few metres of the point, inside the district. */
    private Coordinate locationNear(DemoPoint point) {
        for (int attempt = 0; attempt < 8; attempt++) {
            Coordinate metric;
            if (point.metric() instanceof Point p) {
                metric = jitter(p.getCoordinate(), 5);
            } else if (point.metric() instanceof LineString line) {
                metric = lineIndex.computeIfAbsent(point.externalId(), k -> new LengthIndexedLine(line))
                        .extractPoint(rnd.nextDouble(line.getLength()), rnd.nextDouble(-4, 4));
            } else {
                metric = insidePolygon((Polygon) point.metric());
            }
            Coordinate lonLat = areas.projection().toLonLat(metric);
            if (areas.preparedDistrict().contains(factory.createPoint(lonLat))) {
                return lonLat;
            }
        }
        return point.lonLat().getInteriorPoint().getCoordinate();
    }

    private Coordinate jitter(Coordinate c, double radius) {
        double r = radius * Math.sqrt(rnd.nextDouble());
        double a = rnd.nextDouble(2 * Math.PI);
        return new Coordinate(c.x + r * Math.cos(a), c.y + r * Math.sin(a));
    }

    private Coordinate insidePolygon(Polygon polygon) {
        Envelope env = polygon.getEnvelopeInternal();
        Coordinate[] ring = polygon.getExteriorRing().getCoordinates();
        while (true) {
            Coordinate c = new Coordinate(rnd.nextDouble(env.getMinX(), env.getMaxX()),
                    rnd.nextDouble(env.getMinY(), env.getMaxY()));
            if (PointLocation.isInRing(c, ring)) {
                return c;
            }
        }
    }

    private String handlerDepartment(ProblemCategory category) {
        List<String> candidates = vocabulary.specialAction(category.actionCode()).departmentCodes();
        if (rnd.nextDouble() < 0.75 || candidates.isEmpty()) {
            return category.defaultDepartmentCode();
        }
        return candidates.get(rnd.nextInt(candidates.size()));
    }

    private static StringBuilder appendTime(StringBuilder row, long localMinute) {
        return localMinute == ProblemTimeline.NONE ? row : Fmt.appendTimestamp(row, localMinute);
    }

    private static void appendPadded(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
    }
}

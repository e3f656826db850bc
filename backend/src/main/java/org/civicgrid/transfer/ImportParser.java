package org.civicgrid.transfer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.civicgrid.geoformats.GeoFeature;
import org.civicgrid.geoformats.GeoFileException;
import org.civicgrid.geoformats.GeoFileFormat;
import org.civicgrid.geoformats.GeoFiles;
import org.civicgrid.web.InvalidParameterException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.ByteOrderValues;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.io.WKTReader;
import org.locationtech.jts.io.geojson.GeoJsonReader;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads an import file row by row — CSV (lon/lat or WKT columns; UTF-8 with or without BOM, else GB18030 as
 * saved by Chinese Excel), GeoJSON (streamed, so a million features need no tree of the whole file), GeoPackage
 * or zipped shapefile (through GeoFiles) — checks every field and hands each good row to the sink as one line
 * of COPY csv for the staging table, each bad field as an {@link ImportError}.
 */
final class ImportParser {

    /** The most rows one import may hold. */
    static final int MAX_ROWS = 1_000_000;
    static final Set<String> STATUSES = Set.of("REPORTED", "ACCEPTED", "REJECTED", "CLOSED");
    private static final ZoneId LOCAL = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd[ ]['T']H:mm[:ss]", Locale.ROOT);
    /** Reads one feature at a time out of the features array (the rest of the file follows each one). */
    private static final ObjectMapper STREAMING_JSON = tools.jackson.databind.json.JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 4326);

    interface Sink {
        /** One good row, as a line of COPY csv (ending in a newline) for the staging table's columns. */
        void row(CharSequence copyLine);

        void error(ImportError error);
    }

    private final ImportKind kind;
    private final InputCrs crs;
    private final Sink sink;
    private final WKTReader wkt = new WKTReader(FACTORY);
    private final WKBWriter wkb = new WKBWriter(2, ByteOrderValues.LITTLE_ENDIAN, true);
    private final StringBuilder line = new StringBuilder(256);
    private int rows;

    ImportParser(ImportKind kind, InputCrs crs, Sink sink) {
        this.kind = kind;
        this.crs = crs;
        this.sink = sink;
    }

    /** Parses the whole file; returns the number of data rows seen. A file that cannot be read at all → 400 naming "file". */
    int parse(String fileName, byte[] content) {
        if (content == null || content.length == 0) {
            throw new InvalidParameterException("file", "is empty");
        }
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".csv") || name.endsWith(".txt")) {
                parseCsv(content);
            } else {
                GeoFileFormat format = GeoFiles.detect(fileName, content);
                if (format == GeoFileFormat.GEOJSON) {
                    parseGeoJson(content);
                } else {
                    parseFeatures(GeoFiles.read(fileName, content));
                }
            }
        } catch (GeoFileException e) {
            throw new InvalidParameterException("file", e.getMessage());
        } catch (tools.jackson.core.JacksonException e) {
            throw new InvalidParameterException("file", "is not valid GeoJSON: " + e.getOriginalMessage());
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidParameterException("file", "cannot be read: " + e.getMessage());
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------------- CSV

    private void parseCsv(byte[] content) throws IOException {
        int offset = content.length >= 3 && content[0] == (byte) 0xEF && content[1] == (byte) 0xBB && content[2] == (byte) 0xBF ? 3 : 0;
        Charset charset = isUtf8(content, offset) ? StandardCharsets.UTF_8 : Charset.forName("GB18030");
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true)
                .setTrim(true).setAllowMissingColumnNames(true).get();
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(content, offset, content.length - offset), charset);
             CSVParser csv = format.parse(reader)) {
            Map<String, Integer> header = new HashMap<>();
            csv.getHeaderMap().forEach((column, index) -> header.put(column.strip().toLowerCase(Locale.ROOT), index));
            checkColumns(header);
            int rowNo = 1;
            Map<String, String> values = new HashMap<>();
            for (CSVRecord record : csv) {
                rowNo++;
                countRow();
                values.clear();
                for (String column : kind.columns) {
                    Integer index = header.get(column);
                    values.put(column, index == null || index >= record.size() ? null : blankToNull(record.get(index)));
                }
                Geometry geometry = csvGeometry(rowNo, values);
                boolean given = values.get("wkt") != null || values.get("lon") != null || values.get("lat") != null;
                accept(rowNo, values, geometry, given);
            }
        }
    }

    private void checkColumns(Map<String, Integer> header) {
        List<String> required = List.of("external_id", kind.codeColumn());
        for (String column : required) {
            if (!header.containsKey(column)) {
                throw new InvalidParameterException("file", "the header has no column " + column + " (columns: " + String.join(", ", kind.columns)
                        + ")");
            }
        }
        if (!header.containsKey("wkt") && !(header.containsKey("lon") && header.containsKey("lat"))) {
            throw new InvalidParameterException("file", "the header needs lon and lat columns or a wkt column");
        }
    }

    /** The location of a CSV row in WGS84, or null after reporting why not (or when none was given: reported later). */
    private Geometry csvGeometry(int rowNo, Map<String, String> values) {
        String text = values.get("wkt");
        if (text != null) {
            Geometry geometry;
            try {
                geometry = wkt.read(text);
            } catch (ParseException | RuntimeException e) {
                sink.error(new ImportError(rowNo, "wkt", "is not WKT: " + shorten(e.getMessage())));
                return null;
            }
            if (!inDegrees(geometry)) {
                sink.error(new ImportError(rowNo, "wkt", "coordinates are not lon/lat degrees"));
                return null;
            }
            return crs.toWgs84(geometry);
        }
        String lonText = values.get("lon");
        String latText = values.get("lat");
        if (lonText == null && latText == null) {
            return null;
        }
        Double lon = number(rowNo, "lon", lonText, 180);
        Double lat = number(rowNo, "lat", latText, 90);
        if (lon == null || lat == null) {
            return null;
        }
        double[] w = crs.toWgs84(lon, lat);
        return FACTORY.createPoint(new Coordinate(w[0], w[1]));
    }

    private Double number(int rowNo, String field, String text, double limit) {
        if (text == null) {
            sink.error(new ImportError(rowNo, field, "is required (or give wkt)"));
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            sink.error(new ImportError(rowNo, field, "'" + shorten(text) + "' is not a number"));
            return null;
        }
        if (!Double.isFinite(value) || Math.abs(value) > limit) {
            sink.error(new ImportError(rowNo, field, text + " is out of range (-" + (int) limit + " to " + (int) limit + " degrees)"));
            return null;
        }
        return value;
    }

    private static boolean isUtf8(byte[] content, int offset) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content, offset, content.length - offset));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------- GeoJSON

    private void parseGeoJson(byte[] content) {
        ObjectMapper json = STREAMING_JSON;
        GeoJsonReader geometries = new GeoJsonReader(FACTORY);
        Integer epsg = null;
        try (JsonParser parser = json.createParser(content)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidParameterException("file", "is not a GeoJSON FeatureCollection");
            }
            boolean features = false;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String member = parser.currentName();
                JsonToken value = parser.nextToken();
                if (member.equals("crs") && value == JsonToken.START_OBJECT) {
                    epsg = epsgOf(json.readTree(parser));
                } else if (member.equals("features") && value == JsonToken.START_ARRAY) {
                    features = true;
                    int index = 0;
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        index++;
                        countRow();
                        feature(index, json.readTree(parser), geometries, epsg);
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (!features) {
                throw new InvalidParameterException("file", "is not a GeoJSON FeatureCollection (no features array)");
            }
        }
    }

    private void feature(int rowNo, JsonNode feature, GeoJsonReader geometries, Integer epsg) {
        Map<String, String> values = new HashMap<>();
        JsonNode properties = feature.path("properties");
        for (String column : kind.columns) {
            JsonNode value = properties.get(column);
            values.put(column, value == null || value.isNull() ? null : blankToNull(value.asString()));
        }
        if (values.get("external_id") == null && feature.hasNonNull("id")) {
            values.put("external_id", blankToNull(feature.get("id").asString()));
        }
        JsonNode geometryNode = feature.get("geometry");
        Geometry geometry = null;
        if (geometryNode != null && !geometryNode.isNull()) {
            try {
                JsonNode coordinates = geometryNode.path("coordinates");
                if ("Point".equals(geometryNode.path("type").asString()) && coordinates.size() >= 2) {
                    geometry = FACTORY.createPoint(new Coordinate(coordinates.get(0).asDouble(), coordinates.get(1).asDouble()));
                } else {
                    geometry = geometries.read(geometryNode.toString());
                    geometry.setSRID(4326);
                }
                if (epsg != null && epsg != 4326 && epsg != 4490) {
                    geometry = GeoFiles.toLonLat(geometry, epsg);
                }
            } catch (ParseException | RuntimeException e) {
                sink.error(new ImportError(rowNo, "geometry", "is not a GeoJSON geometry: " + shorten(e.getMessage())));
                return;
            }
        }
        fileFeature(rowNo, values, geometry);
    }

    /** The EPSG code of a GeoJSON 2008 "crs" member (urn:ogc:def:crs:EPSG::4549, EPSG:4549, CRS84 = 4326). */
    private static Integer epsgOf(JsonNode crs) {
        String name = crs.path("properties").path("name").asString("");
        if (name.toUpperCase(Locale.ROOT).endsWith("CRS84")) {
            return 4326;
        }
        String digits = name.substring(name.lastIndexOf(':') + 1);
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("file", "unsupported GeoJSON crs '" + name + "'");
        }
    }

    // ---------------------------------------------------------------------------------------------- GeoPackage, shapefile

    private void parseFeatures(List<GeoFeature> features) {
        int rowNo = 0;
        for (GeoFeature feature : features) {
            rowNo++;
            countRow();
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, Object> byLowerName = new HashMap<>();
            feature.properties().forEach((k, v) -> byLowerName.put(k.toLowerCase(Locale.ROOT), v));
            for (String column : kind.columns) {
                Object value = byLowerName.get(column);
                values.put(column, value == null ? null : blankToNull(value.toString()));
            }
            fileFeature(rowNo, values, feature.geometry() == null ? null : feature.geometry().copy());
        }
    }

    private void fileFeature(int rowNo, Map<String, String> values, Geometry lonLat) {
        if (lonLat != null && !inDegrees(lonLat)) {
            sink.error(new ImportError(rowNo, "geometry", "coordinates are not lon/lat degrees (declare the file's coordinate system)"));
            accept(rowNo, values, null, true);
            return;
        }
        accept(rowNo, values, crs.toWgs84(lonLat), lonLat != null);
    }

    // ---------------------------------------------------------------------------------------------- checks common to every format

    /** @param located whether a location was given (a null geometry then means its error was already reported) */
    private void accept(int rowNo, Map<String, String> v, Geometry geometry, boolean located) {
        boolean ok = geometry != null;
        if (!located) {
            sink.error(new ImportError(rowNo, "location", "is required: lon and lat, wkt, or a geometry"));
        }
        if (geometry != null) {
            geometry.setSRID(4326);
            if (geometry.isEmpty()) {
                sink.error(new ImportError(rowNo, "location", "is empty"));
                ok = false;
            } else if (!inDegrees(geometry)) {
                sink.error(new ImportError(rowNo, "location", "lies outside lon -180..180 / lat -90..90"));
                ok = false;
            } else if (!geometry.isValid()) {
                sink.error(new ImportError(rowNo, "location", "is not a valid geometry (self-intersection or too few points)"));
                ok = false;
            } else if (kind == ImportKind.PROBLEMS && !(geometry instanceof Point)) {
                sink.error(new ImportError(rowNo, "location", "a problem is located at a point, not a " + geometry.getGeometryType()));
                ok = false;
            }
        }
        String externalId = v.get("external_id");
        ok &= required(rowNo, "external_id", externalId, 64);
        ok &= required(rowNo, kind.codeColumn(), v.get(kind.codeColumn()), 40);
        Instant reportedAt = null;
        Instant closedAt = null;
        String status = null;
        if (kind == ImportKind.POINTS) {
            ok &= required(rowNo, "name", v.get("name"), 200);
            ok &= optional(rowNo, "address", v.get("address"), 500);
            ok &= optional(rowNo, "responsible_unit", v.get("responsible_unit"), 200);
        } else {
            ok &= required(rowNo, "description", v.get("description"), 2000);
            ok &= optional(rowNo, "point_external_id", v.get("point_external_id"), 64);
            if (v.get("reported_at") == null) {
                sink.error(new ImportError(rowNo, "reported_at", "is required"));
                ok = false;
            } else {
                reportedAt = instant(rowNo, "reported_at", v.get("reported_at"));
                ok &= reportedAt != null;
                if (reportedAt != null && reportedAt.isAfter(Instant.now().plusSeconds(600))) {
                    sink.error(new ImportError(rowNo, "reported_at", "is in the future"));
                    ok = false;
                }
            }
            status = v.get("status") == null ? "REPORTED" : v.get("status").toUpperCase(Locale.ROOT);
            if (!STATUSES.contains(status)) {
                sink.error(new ImportError(rowNo, "status", "'" + shorten(v.get("status")) + "' is not one of " + STATUSES.stream().sorted().toList()));
                ok = false;
            }
            if (v.get("closed_at") != null) {
                closedAt = instant(rowNo, "closed_at", v.get("closed_at"));
                ok &= closedAt != null;
                if (closedAt != null && !"CLOSED".equals(status)) {
                    sink.error(new ImportError(rowNo, "closed_at", "is given only for status CLOSED"));
                    ok = false;
                }
                if (closedAt != null && reportedAt != null && closedAt.isBefore(reportedAt)) {
                    sink.error(new ImportError(rowNo, "closed_at", "is before reported_at"));
                    ok = false;
                }
            } else if ("CLOSED".equals(status)) {
                sink.error(new ImportError(rowNo, "closed_at", "is required for status CLOSED"));
                ok = false;
            }
        }
        if (!ok) {
            return;
        }
        line.setLength(0);
        line.append(rowNo);
        text(externalId);
        text(v.get(kind.codeColumn()));
        if (kind == ImportKind.POINTS) {
            text(v.get("name"));
            text(v.get("address"));
            text(v.get("responsible_unit"));
            line.append(",,,,,");
        } else {
            line.append(",,,");
            text(v.get("description"));
            text(reportedAt.toString());
            text(status);
            text(closedAt == null ? null : closedAt.toString());
            text(v.get("point_external_id"));
        }
        line.append(',').append(WKBWriter.toHex(wkb.write(geometry))).append('\n');
        sink.row(line);
    }

    private boolean required(int rowNo, String field, String value, int maxLength) {
        if (value == null) {
            sink.error(new ImportError(rowNo, field, "is required"));
            return false;
        }
        return optional(rowNo, field, value, maxLength);
    }

    private boolean optional(int rowNo, String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            sink.error(new ImportError(rowNo, field, "is longer than " + maxLength + " characters"));
            return false;
        }
        return true;
    }

    private Instant instant(int rowNo, String field, String text) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text.replace('/', '-')).atStartOfDay(LOCAL).toInstant();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
            }
            return LocalDateTime.parse(text.replace('/', '-'), LOCAL_TIME).atZone(LOCAL).toInstant();
        } catch (DateTimeParseException e) {
            sink.error(new ImportError(rowNo, field, "'" + shorten(text) + "' is not a time like 2026-03-01 08:30 or 2026-03-01T08:30:00+08:00"));
            return null;
        }
    }

    private void text(String value) {
        line.append(',');
        if (value == null) {
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            if (c != 0) { // PostgreSQL text cannot hold NUL
                line.append(c);
            }
        }
        line.append('"');
    }

    private void countRow() {
        if (++rows > MAX_ROWS) {
            throw new InvalidParameterException("file", "holds more than " + MAX_ROWS + " rows");
        }
    }

    private static boolean inDegrees(Geometry geometry) {
        var e = geometry.getEnvelopeInternal();
        return e.isNull() || e.getMinX() >= -180 && e.getMaxX() <= 180 && e.getMinY() >= -90 && e.getMaxY() <= 90
                && Double.isFinite(e.getMinX()) && Double.isFinite(e.getMaxY());
    }

    private static String blankToNull(String value) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String one = text.replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 80) + "…" : one;
    }
}

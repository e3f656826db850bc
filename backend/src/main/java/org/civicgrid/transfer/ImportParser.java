package org.civicgrid.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
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
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;
import org.locationtech.jts.io.geojson.GeoJsonReader;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an import file row by row — CSV (lon/lat or WKT columns; UTF-8 with or without BOM, else GB18030 as
 * saved by Chinese Excel), GeoJSON (token by token: a million features need neither the file nor a tree per
 * feature in memory), GeoPackage or zipped shapefile (through GeoFiles) — checks every field and hands each
 * good row to the sink as a {@link Row} (reused: copy what must outlive the call), each bad field as an
 * {@link ImportError}.
 */
final class ImportParser {

    /** The most rows one import may hold. */
    static final int MAX_ROWS = 1_000_000;
    static final Set<String> STATUSES = Set.of("REPORTED", "ACCEPTED", "REJECTED", "CLOSED");
    private static final ZoneId LOCAL = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd[ ]['T']H:mm[:ss]", Locale.ROOT);
    private static final ObjectMapper STREAMING_JSON = tools.jackson.databind.json.JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 4326);
    private static final int PREFIX_BYTES = 4096;

    /** One good row; the parser reuses the instance for the next row. */
    static final class Row {
        int number;
        String externalId;
        String code;
        String name;
        String address;
        String responsibleUnit;
        String description;
        Instant reportedAt;
        String status;
        Instant closedAt;
        String pointExternalId;
        /** In WGS84 lon/lat, SRID 4326. */
        Geometry location;
    }

    interface Sink {
        void row(Row row);

        void error(ImportError error);
    }

    private final ImportKind kind;
    private final InputCrs crs;
    private final Sink sink;
    private final WKTReader wkt = new WKTReader(FACTORY);
    /** Column name → position in {@link #values} (the kind's columns). */
    private final Map<String, Integer> columnIndex = new HashMap<>();
    private final String[] values;
    private final int externalId;
    private final int code;
    private final int lon;
    private final int lat;
    private final int wktColumn;
    private final Row row = new Row();
    private int rows;

    ImportParser(ImportKind kind, InputCrs crs, Sink sink) {
        this.kind = kind;
        this.crs = crs;
        this.sink = sink;
        for (int i = 0; i < kind.columns.size(); i++) {
            columnIndex.put(kind.columns.get(i), i);
        }
        values = new String[kind.columns.size()];
        externalId = columnIndex.get("external_id");
        code = columnIndex.get(kind.codeColumn());
        lon = columnIndex.get("lon");
        lat = columnIndex.get("lat");
        wktColumn = columnIndex.get("wkt");
    }

    private String value(String column) {
        return values[columnIndex.get(column)];
    }

    /** Parses the whole file; returns the number of data rows seen. A file that cannot be read at all → 400 naming "file". */
    int parse(ImportSource source) {
        String name = source.fileName().toLowerCase(Locale.ROOT);
        try {
            byte[] prefix;
            try (InputStream in = source.open()) {
                prefix = in.readNBytes(PREFIX_BYTES);
            }
            if (prefix.length == 0) {
                throw new InvalidParameterException("file", "is empty");
            }
            if (name.endsWith(".csv") || name.endsWith(".txt")) {
                parseCsv(source);
            } else {
                GeoFileFormat format = GeoFiles.detect(source.fileName(), prefix);
                if (format == GeoFileFormat.GEOJSON) {
                    try (InputStream in = source.open()) {
                        parseGeoJson(in);
                    }
                } else {
                    parseFeatures(GeoFiles.read(source.fileName(), source.readAll(GeoFiles.MAX_INPUT_BYTES)));
                }
            }
        } catch (GeoFileException e) {
            throw new InvalidParameterException("file", e.getMessage());
        } catch (tools.jackson.core.JacksonException e) {
            throw new InvalidParameterException("file", "is not valid GeoJSON: " + e.getOriginalMessage());
        } catch (java.util.zip.ZipException e) {
            throw new InvalidParameterException("file", "is not a readable gzip file: " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            if (e.getCause() instanceof InvalidParameterException invalid) {
                throw invalid;
            }
            throw new InvalidParameterException("file", "cannot be read: " + e.getMessage());
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------------- CSV

    private void parseCsv(ImportSource source) throws IOException {
        boolean bom;
        boolean utf8;
        try (InputStream in = source.open()) {
            byte[] head = in.readNBytes(3);
            bom = head.length == 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF;
            utf8 = isUtf8(bom ? new byte[0] : head, in);
        }
        Charset charset = utf8 ? StandardCharsets.UTF_8 : Charset.forName("GB18030");
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true)
                .setTrim(true).setAllowMissingColumnNames(true).get();
        try (InputStream in = source.open()) {
            if (bom) {
                in.skipNBytes(3);
            }
            try (Reader reader = new InputStreamReader(in, charset); CSVParser csv = format.parse(reader)) {
                Map<String, Integer> header = new HashMap<>();
                csv.getHeaderMap().forEach((column, index) -> header.put(column.strip().toLowerCase(Locale.ROOT), index));
                checkColumns(header);
                int[] positions = new int[values.length];
                for (int i = 0; i < values.length; i++) {
                    positions[i] = header.getOrDefault(kind.columns.get(i), -1);
                }
                int rowNo = 1;
                for (CSVRecord record : csv) {
                    rowNo++;
                    countRow();
                    for (int i = 0; i < values.length; i++) {
                        values[i] = positions[i] < 0 || positions[i] >= record.size() ? null : blankToNull(record.get(positions[i]));
                    }
                    Geometry geometry = csvGeometry(rowNo);
                    boolean given = values[wktColumn] != null || values[lon] != null || values[lat] != null;
                    accept(rowNo, geometry, given);
                }
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
    private Geometry csvGeometry(int rowNo) {
        String text = values[wktColumn];
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
        String lonText = values[lon];
        String latText = values[lat];
        if (lonText == null && latText == null) {
            return null;
        }
        Double x = number(rowNo, "lon", lonText, 180);
        Double y = number(rowNo, "lat", latText, 90);
        if (x == null || y == null) {
            return null;
        }
        double[] w = crs.toWgs84(x, y);
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

    /** Whether the rest of the stream (after {@code head}) is valid UTF-8, decoded in chunks. */
    private static boolean isUtf8(byte[] head, InputStream rest) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        in.put(head);
        byte[] chunk = new byte[1 << 15];
        boolean end = false;
        while (true) {
            if (!end) {
                int n = rest.read(chunk, 0, Math.min(chunk.length, in.remaining()));
                if (n < 0) {
                    end = true;
                } else {
                    in.put(chunk, 0, n);
                }
            }
            in.flip();
            CoderResult result = decoder.decode(in, out, end);
            if (result.isError()) {
                return false;
            }
            out.clear();
            in.compact();
            if (end && in.position() == 0) {
                return !decoder.flush(out).isError();
            }
            if (end && result.isUnderflow()) {
                return !decoder.flush(out).isError();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- GeoJSON

    private void parseGeoJson(InputStream content) {
        GeoJsonReader geometries = new GeoJsonReader(FACTORY);
        Integer epsg = null;
        try (JsonParser parser = STREAMING_JSON.createParser(content)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidParameterException("file", "is not a GeoJSON FeatureCollection");
            }
            boolean features = false;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String member = parser.currentName();
                JsonToken value = parser.nextToken();
                if (member.equals("crs") && value == JsonToken.START_OBJECT) {
                    epsg = epsgOf(STREAMING_JSON.readTree(parser));
                } else if (member.equals("features") && value == JsonToken.START_ARRAY) {
                    features = true;
                    int index = 0;
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        index++;
                        countRow();
                        feature(parser, index, geometries, epsg);
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

    /** One feature, the parser on its START_OBJECT; leaves the parser on its END_OBJECT. */
    private void feature(JsonParser parser, int rowNo, GeoJsonReader geometries, Integer epsg) {
        Arrays.fill(values, null);
        String id = null;
        JsonNode geometryNode = null;
        double[] position = null;
        boolean geometryGiven = false;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String member = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (member) {
                case "properties" -> {
                    if (token == JsonToken.START_OBJECT) {
                        properties(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "geometry" -> {
                    if (token == JsonToken.START_OBJECT) {
                        geometryGiven = true;
                        Object geometry = geometry(parser);
                        if (geometry instanceof double[] point) {
                            position = point;
                        } else {
                            geometryNode = (JsonNode) geometry;
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
                case "id" -> id = scalar(parser, token);
                default -> parser.skipChildren();
            }
        }
        if (values[externalId] == null && id != null) {
            values[externalId] = blankToNull(id);
        }
        Geometry geometry = null;
        if (geometryGiven) {
            try {
                if (position != null) {
                    geometry = FACTORY.createPoint(new Coordinate(position[0], position[1]));
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
        fileFeature(rowNo, geometry);
    }

    /** The feature's properties, the parser on their START_OBJECT: the kind's columns are kept, the rest skipped. */
    private void properties(JsonParser parser) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            Integer column = columnIndex.get(parser.currentName());
            JsonToken token = parser.nextToken();
            if (column == null) {
                parser.skipChildren();
            } else {
                String text = scalar(parser, token);
                values[column] = text == null ? null : blankToNull(text);
            }
        }
    }

    /** A scalar value as text (numbers as written, true/false); null for null, objects and arrays (skipped). */
    private static String scalar(JsonParser parser, JsonToken token) {
        return switch (token) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getString();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case START_OBJECT, START_ARRAY -> {
                parser.skipChildren();
                yield null;
            }
            default -> null;
        };
    }

    /**
     * A geometry object, the parser on its START_OBJECT: a Point's position as double[] (the common case, no
     * tree built), anything else as a tree for GeoJsonReader.
     */
    private static Object geometry(JsonParser parser) {
        String type = null;
        double[] numbers = null;
        int count = 0;
        JsonNode coordinates = null;
        ObjectNode others = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String member = parser.currentName();
            JsonToken token = parser.nextToken();
            if (member.equals("type") && token == JsonToken.VALUE_STRING) {
                type = parser.getString();
            } else if (member.equals("coordinates") && token == JsonToken.START_ARRAY) {
                numbers = null;
                coordinates = null;
                JsonToken t = parser.nextToken();
                double[] read = new double[4];
                count = 0;
                while (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                    if (count == read.length) {
                        read = Arrays.copyOf(read, count * 2);
                    }
                    read[count++] = parser.getDoubleValue();
                    t = parser.nextToken();
                }
                if (t == JsonToken.END_ARRAY) {
                    numbers = read; // a position: [x, y(, z)]
                } else {
                    ArrayNode array = NODES.arrayNode();
                    for (int i = 0; i < count; i++) {
                        array.add(read[i]);
                    }
                    while (t != JsonToken.END_ARRAY) {
                        array.add(element(parser, t));
                        t = parser.nextToken();
                    }
                    coordinates = array;
                }
            } else {
                if (others == null) {
                    others = NODES.objectNode();
                }
                others.set(member, STREAMING_JSON.readTree(parser));
            }
        }
        if ("Point".equals(type) && numbers != null && count >= 2) {
            return new double[] {numbers[0], numbers[1]};
        }
        ObjectNode node = others == null ? NODES.objectNode() : others;
        if (type != null) {
            node.put("type", type);
        }
        if (numbers != null) {
            ArrayNode array = NODES.arrayNode();
            for (int i = 0; i < count; i++) {
                array.add(numbers[i]);
            }
            node.set("coordinates", array);
        } else if (coordinates != null) {
            node.set("coordinates", coordinates);
        }
        return node;
    }

    /** One array element as a node, the parser on its first token. */
    private static JsonNode element(JsonParser parser, JsonToken token) {
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = NODES.arrayNode();
            JsonToken t = parser.nextToken();
            while (t != JsonToken.END_ARRAY) {
                array.add(element(parser, t));
                t = parser.nextToken();
            }
            return array;
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
            return NODES.numberNode(parser.getDoubleValue());
        }
        return STREAMING_JSON.readTree(parser);
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
            Map<String, Object> byLowerName = new HashMap<>();
            feature.properties().forEach((k, v) -> byLowerName.put(k.toLowerCase(Locale.ROOT), v));
            for (int i = 0; i < values.length; i++) {
                Object value = byLowerName.get(kind.columns.get(i));
                values[i] = value == null ? null : blankToNull(value.toString());
            }
            fileFeature(rowNo, feature.geometry() == null ? null : feature.geometry().copy());
        }
    }

    private void fileFeature(int rowNo, Geometry lonLat) {
        if (lonLat != null && !inDegrees(lonLat)) {
            sink.error(new ImportError(rowNo, "geometry", "coordinates are not lon/lat degrees (declare the file's coordinate system)"));
            accept(rowNo, null, true);
            return;
        }
        accept(rowNo, crs.toWgs84(lonLat), lonLat != null);
    }

    // ---------------------------------------------------------------------------------------------- checks common to every format

    /** @param located whether a location was given (a null geometry then means its error was already reported) */
    private void accept(int rowNo, Geometry geometry, boolean located) {
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
            } else if (!(geometry instanceof Point) && !geometry.isValid()) {
                sink.error(new ImportError(rowNo, "location", "is not a valid geometry (self-intersection or too few points)"));
                ok = false;
            } else if (kind == ImportKind.PROBLEMS && !(geometry instanceof Point)) {
                sink.error(new ImportError(rowNo, "location", "a problem is located at a point, not a " + geometry.getGeometryType()));
                ok = false;
            }
        }
        String id = values[externalId];
        ok &= required(rowNo, "external_id", id, 64);
        ok &= required(rowNo, kind.codeColumn(), values[code], 40);
        Instant reportedAt = null;
        Instant closedAt = null;
        String status = null;
        if (kind == ImportKind.POINTS) {
            ok &= required(rowNo, "name", value("name"), 200);
            ok &= optional(rowNo, "address", value("address"), 500);
            ok &= optional(rowNo, "responsible_unit", value("responsible_unit"), 200);
        } else {
            ok &= required(rowNo, "description", value("description"), 2000);
            ok &= optional(rowNo, "point_external_id", value("point_external_id"), 64);
            if (value("reported_at") == null) {
                sink.error(new ImportError(rowNo, "reported_at", "is required"));
                ok = false;
            } else {
                reportedAt = instant(rowNo, "reported_at", value("reported_at"));
                ok &= reportedAt != null;
                if (reportedAt != null && reportedAt.isAfter(Instant.now().plusSeconds(600))) {
                    sink.error(new ImportError(rowNo, "reported_at", "is in the future"));
                    ok = false;
                }
            }
            status = value("status") == null ? "REPORTED" : value("status").toUpperCase(Locale.ROOT);
            if (!STATUSES.contains(status)) {
                sink.error(new ImportError(rowNo, "status", "'" + shorten(value("status")) + "' is not one of " + STATUSES.stream().sorted().toList()));
                ok = false;
            }
            if (value("closed_at") != null) {
                closedAt = instant(rowNo, "closed_at", value("closed_at"));
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
        row.number = rowNo;
        row.externalId = id;
        row.code = values[code];
        row.location = geometry;
        if (kind == ImportKind.POINTS) {
            row.name = value("name");
            row.address = value("address");
            row.responsibleUnit = value("responsible_unit");
        } else {
            row.description = value("description");
            row.reportedAt = reportedAt;
            row.status = status;
            row.closedAt = closedAt;
            row.pointExternalId = value("point_external_id");
        }
        sink.row(row);
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

    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String one = text.replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 80) + "…" : one;
    }
}

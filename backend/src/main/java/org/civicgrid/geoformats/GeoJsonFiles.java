package org.civicgrid.geoformats;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * GeoJSON (RFC 7946): a FeatureCollection, a single Feature or a bare geometry. Features are streamed, so a
 * large file is never held as one tree. A legacy "crs" member (EPSG:4326/4490/CRS84, a CGCS2000
 * Gauss-Krüger code, any EPSG code proj4j knows) is honoured. Strings of the form YYYY-MM-DD are read as dates;
 * a Feature's "id" member becomes the property "id" unless the properties have one.
 */
final class GeoJsonFiles {

    static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 4326);
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // features are read one by one from a stream
            .build();
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern EPSG = Pattern.compile("EPSG:+(?:[0-9.]*:)?(\\d+)$", Pattern.CASE_INSENSITIVE);

    private GeoJsonFiles() {
    }

    private record Raw(Geometry geometry, Map<String, Object> properties) {
    }

    static List<GeoFeature> read(byte[] content, Crs assumed) {
        List<Raw> raw = new ArrayList<>();
        Map<String, JsonNode> root = new LinkedHashMap<>();
        boolean streamedFeatures = false;
        try (JsonParser parser = MAPPER.createParser(content)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new GeoFileException("the GeoJSON is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("features") && value == JsonToken.START_ARRAY) {
                    streamedFeatures = true;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        int number = raw.size() + 1;
                        GeoFiles.checkFeatureCount(number);
                        JsonNode feature;
                        try {
                            feature = MAPPER.readTree(parser);
                        } catch (JacksonException e) {
                            throw new GeoFileException("feature " + number + ": not valid JSON ("
                                    + e.getOriginalMessage() + ")");
                        }
                        raw.add(feature(feature, number));
                    }
                } else {
                    root.put(name, MAPPER.readTree(parser));
                }
            }
        } catch (JacksonException e) {
            throw new GeoFileException("the GeoJSON is not valid JSON" + (raw.isEmpty() ? "" : " after feature "
                    + raw.size()) + ": " + e.getOriginalMessage());
        }
        String type = root.containsKey("type") ? root.get("type").asString() : "";
        if (type.equals("Feature")) {
            raw.add(feature(MAPPER.valueToTree(root), 1));
        } else if (!type.equals("FeatureCollection")) {
            if (root.containsKey("coordinates") || root.containsKey("geometries")) {
                raw.add(new Raw(geometry(MAPPER.valueToTree(root), "the geometry"), new LinkedHashMap<>()));
            } else {
                throw new GeoFileException("the GeoJSON's type is '" + type
                        + "'; expected FeatureCollection, Feature or a geometry");
            }
        } else if (!streamedFeatures) {
            throw new GeoFileException("the FeatureCollection has no \"features\" array");
        }
        Crs crs = crs(root.get("crs"));
        if (crs == null) {
            Envelope extent = new Envelope();
            raw.forEach(r -> {
                if (r.geometry != null) {
                    extent.expandToInclude(r.geometry.getEnvelopeInternal());
                }
            });
            try {
                crs = Crs.undeclared(extent, "the GeoJSON declares no \"crs\"");
            } catch (GeoFileException e) {
                if (assumed == null) {
                    throw e;
                }
                crs = assumed;
            }
        }
        List<GeoFeature> features = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            features.add(new GeoFeature(crs.toLonLat(raw.get(i).geometry, "feature " + (i + 1)), raw.get(i).properties));
        }
        return features;
    }

    private static Crs crs(JsonNode crs) {
        if (crs == null || crs.isNull()) {
            return null;
        }
        String name = crs.path("properties").path("name").asString("");
        if (name.isEmpty()) {
            throw new GeoFileException("the GeoJSON's \"crs\" member names no coordinate system");
        }
        if (name.toUpperCase().endsWith("CRS84")) {
            return Crs.lonLat(name);
        }
        Matcher m = EPSG.matcher(name.strip());
        if (!m.find()) {
            throw new GeoFileException("unsupported coordinate system \"" + name + "\" in the GeoJSON's \"crs\" member");
        }
        return Crs.epsg(Integer.parseInt(m.group(1)));
    }

    private static Raw feature(JsonNode node, int number) {
        String label = "feature " + number;
        if (!node.isObject() || !"Feature".equals(node.path("type").asString(""))) {
            throw new GeoFileException(label + ": not a GeoJSON Feature object");
        }
        JsonNode geometry = node.get("geometry");
        Geometry g = geometry == null || geometry.isNull() ? null : geometry(geometry, label);
        Map<String, Object> properties = new LinkedHashMap<>();
        JsonNode props = node.get("properties");
        if (props != null && props.isObject()) {
            for (Map.Entry<String, JsonNode> p : props.properties()) {
                properties.put(p.getKey(), value(p.getValue()));
            }
        }
        JsonNode id = node.get("id");
        if (id != null && !id.isNull() && !properties.containsKey("id")) {
            properties.put("id", value(id)); // the Feature's own id, a stable external id for re-imports
        }
        return new Raw(g, properties);
    }

    private static Object value(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : new BigDecimal(v.numberValue().toString());
        }
        if (v.isBigDecimal()) {
            return v.decimalValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isString()) {
            String s = v.asString();
            if (DATE.matcher(s).matches()) {
                try {
                    return LocalDate.parse(s);
                } catch (DateTimeParseException notADate) {
                    return s;
                }
            }
            return s;
        }
        return v.toString(); // nested objects and arrays as their JSON text
    }

    // ---- geometry

    static Geometry geometry(JsonNode node, String label) {
        try {
            return parseGeometry(node);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new GeoFileException(label + ": the geometry cannot be read: " + e.getMessage());
        }
    }

    private static Geometry parseGeometry(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("not a GeoJSON geometry object");
        }
        String type = node.path("type").asString("");
        if (type.equals("GeometryCollection")) {
            List<Geometry> parts = new ArrayList<>();
            for (JsonNode part : array(node.get("geometries"), "geometries")) {
                parts.add(parseGeometry(part));
            }
            return FACTORY.createGeometryCollection(parts.toArray(Geometry[]::new));
        }
        JsonNode c = node.get("coordinates");
        switch (type) {
            case "Point":
                return array(c, "coordinates").isEmpty() ? FACTORY.createPoint() : FACTORY.createPoint(position(c));
            case "MultiPoint": {
                List<Point> points = new ArrayList<>();
                for (JsonNode p : array(c, "coordinates")) {
                    points.add(FACTORY.createPoint(position(p)));
                }
                return FACTORY.createMultiPoint(points.toArray(Point[]::new));
            }
            case "LineString":
                return line(c);
            case "MultiLineString": {
                List<LineString> lines = new ArrayList<>();
                for (JsonNode l : array(c, "coordinates")) {
                    lines.add(line(l));
                }
                return FACTORY.createMultiLineString(lines.toArray(LineString[]::new));
            }
            case "Polygon":
                return polygon(c);
            case "MultiPolygon": {
                List<Polygon> polygons = new ArrayList<>();
                for (JsonNode p : array(c, "coordinates")) {
                    polygons.add(polygon(p));
                }
                return FACTORY.createMultiPolygon(polygons.toArray(Polygon[]::new));
            }
            default:
                throw new IllegalArgumentException("unknown geometry type '" + type + "'");
        }
    }

    private static List<JsonNode> array(JsonNode node, String what) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("\"" + what + "\" is not an array");
        }
        List<JsonNode> list = new ArrayList<>(node.size());
        node.values().forEach(list::add);
        return list;
    }

    private static Coordinate position(JsonNode p) {
        List<JsonNode> xy = array(p, "position");
        if (xy.size() < 2 || !xy.get(0).isNumber() || !xy.get(1).isNumber()) {
            throw new IllegalArgumentException("the position " + p + " is not [x, y]");
        }
        double x = xy.get(0).doubleValue();
        double y = xy.get(1).doubleValue();
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("the position " + p + " is not finite");
        }
        return new Coordinate(x, y);
    }

    private static Coordinate[] positions(JsonNode node) {
        List<JsonNode> list = array(node, "coordinates");
        Coordinate[] coordinates = new Coordinate[list.size()];
        for (int i = 0; i < coordinates.length; i++) {
            coordinates[i] = position(list.get(i));
        }
        return coordinates;
    }

    private static LineString line(JsonNode node) {
        Coordinate[] c = positions(node);
        if (c.length == 1) {
            throw new IllegalArgumentException("a LineString has 1 position; at least 2 are needed");
        }
        return FACTORY.createLineString(c);
    }

    private static Polygon polygon(JsonNode node) {
        List<JsonNode> ringNodes = array(node, "coordinates");
        if (ringNodes.isEmpty()) {
            return FACTORY.createPolygon();
        }
        LinearRing[] rings = new LinearRing[ringNodes.size()];
        for (int i = 0; i < rings.length; i++) {
            Coordinate[] c = positions(ringNodes.get(i));
            if (c.length < 4) {
                throw new IllegalArgumentException("polygon ring " + (i + 1) + " has " + c.length
                        + " positions; at least 4 are needed");
            }
            if (!c[0].equals2D(c[c.length - 1])) {
                throw new IllegalArgumentException("polygon ring " + (i + 1) + " is not closed");
            }
            rings[i] = FACTORY.createLinearRing(c);
        }
        return FACTORY.createPolygon(rings[0], java.util.Arrays.copyOfRange(rings, 1, rings.length));
    }

    // ---- writing

    static byte[] write(String layerName, List<GeoFeature> features) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("type", "FeatureCollection");
            g.writeStringProperty("name", layerName);
            g.writeArrayPropertyStart("features");
            for (GeoFeature f : features) {
                g.writeStartObject();
                g.writeStringProperty("type", "Feature");
                g.writeObjectPropertyStart("properties");
                for (Map.Entry<String, Object> p : f.properties().entrySet()) {
                    g.writeName(p.getKey());
                    writeValue(g, p.getValue());
                }
                g.writeEndObject();
                g.writeName("geometry");
                if (f.geometry() == null) {
                    g.writeNull();
                } else {
                    writeGeometry(g, f.geometry());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator g, Object v) {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d.toPlainString());
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i.toString());
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeNull();
            }
        } else if (v instanceof TemporalAccessor) {
            g.writeString(v.toString());
        } else {
            g.writeString(v.toString());
        }
    }

    private static void writeGeometry(JsonGenerator g, Geometry geometry) {
        g.writeStartObject();
        g.writeStringProperty("type", geometry.getGeometryType());
        if (geometry instanceof GeometryCollection && !(geometry instanceof MultiPoint)
                && !(geometry instanceof MultiLineString) && !(geometry instanceof MultiPolygon)) {
            g.writeArrayPropertyStart("geometries");
            for (int i = 0; i < geometry.getNumGeometries(); i++) {
                writeGeometry(g, geometry.getGeometryN(i));
            }
            g.writeEndArray();
        } else {
            g.writeName("coordinates");
            writeCoordinates(g, geometry);
        }
        g.writeEndObject();
    }

    private static void writeCoordinates(JsonGenerator g, Geometry geometry) {
        if (geometry instanceof Point p) {
            if (p.isEmpty()) {
                g.writeStartArray();
                g.writeEndArray();
            } else {
                writePositions(g, p.getCoordinateSequence(), true);
            }
        } else if (geometry instanceof LineString l) {
            writePositions(g, l.getCoordinateSequence(), false);
        } else if (geometry instanceof Polygon p) {
            g.writeStartArray();
            if (!p.isEmpty()) {
                writePositions(g, p.getExteriorRing().getCoordinateSequence(), false);
                for (int i = 0; i < p.getNumInteriorRing(); i++) {
                    writePositions(g, p.getInteriorRingN(i).getCoordinateSequence(), false);
                }
            }
            g.writeEndArray();
        } else {
            g.writeStartArray();
            for (int i = 0; i < geometry.getNumGeometries(); i++) {
                writeCoordinates(g, geometry.getGeometryN(i));
            }
            g.writeEndArray();
        }
    }

    private static void writePositions(JsonGenerator g, CoordinateSequence seq, boolean single) {
        if (!single) {
            g.writeStartArray();
        }
        for (int i = 0; i < seq.size(); i++) {
            g.writeStartArray();
            g.writeNumber(round(seq.getX(i)));
            g.writeNumber(round(seq.getY(i)));
            g.writeEndArray();
        }
        if (!single) {
            g.writeEndArray();
        }
    }

    /** 7 decimals: 1 cm at the equator. */
    private static String round(double d) {
        return BigDecimal.valueOf(d).setScale(7, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}

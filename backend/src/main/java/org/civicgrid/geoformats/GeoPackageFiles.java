package org.civicgrid.geoformats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.io.ByteOrderValues;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKBWriter;
import org.sqlite.SQLiteConfig;

/**
 * OGC GeoPackage 1.2 vector layers (an SQLite file): gpkg_spatial_ref_sys, gpkg_contents,
 * gpkg_geometry_columns and a feature table whose geometries are GeoPackageBinary (the "GP" header with its
 * optional envelope, then standard WKB). SQLite works on files, so the bytes pass through a temporary file
 * that is deleted afterwards.
 */
final class GeoPackageFiles {

    static final int APPLICATION_ID = 0x47504B47; // "GPKG"
    static final int USER_VERSION = 10200; // GeoPackage 1.2.0

    static final String WGS84_DEFINITION = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,"
            + "AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
            + "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],"
            + "AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

    private GeoPackageFiles() {
    }

    // ---- reading

    static List<GeoFeature> read(byte[] content, Crs assumed) {
        Path file = temp();
        try {
            Files.write(file, content);
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties())) {
                return read(db, assumed);
            }
        } catch (SQLException e) {
            throw new GeoFileException("the GeoPackage cannot be read: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(file);
        }
    }

    private static List<GeoFeature> read(Connection db, Crs assumed) throws SQLException {
        if (!tableExists(db, "gpkg_contents") || !tableExists(db, "gpkg_geometry_columns")) {
            throw new GeoFileException("the file is an SQLite database but not a GeoPackage (no gpkg_contents or"
                    + " gpkg_geometry_columns table)");
        }
        List<String[]> layers = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g"
                        + " ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name")) {
            while (rs.next()) {
                layers.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        if (layers.size() != 1) {
            throw new GeoFileException(layers.isEmpty() ? "the GeoPackage holds no feature layer"
                    : "the GeoPackage holds " + layers.size() + " feature layers (" + String.join(", ",
                            layers.stream().map(l -> l[0]).toList()) + "); upload one layer per file");
        }
        String table = layers.get(0)[0];
        String geometryColumn = layers.get(0)[1];
        int srsId = Integer.parseInt(layers.get(0)[2]);
        long count;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quote(table))) {
            rs.next();
            count = rs.getLong(1);
        }
        GeoFiles.checkFeatureCount(count);

        Map<String, String> types = new LinkedHashMap<>();
        String pk = null;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + quote(table) + ")")) {
            while (rs.next()) {
                String name = rs.getString("name");
                String type = rs.getString("type") == null ? "" : rs.getString("type").toUpperCase(Locale.ROOT);
                if (rs.getInt("pk") == 1 && type.startsWith("INT")) {
                    pk = name;
                } else if (!name.equalsIgnoreCase(geometryColumn)) {
                    types.put(name, type);
                }
            }
        }
        List<Geometry> geometries = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(quote(geometryColumn));
        types.keySet().forEach(c -> sql.append(", ").append(quote(c)));
        sql.append(" FROM ").append(quote(table)).append(pk == null ? "" : " ORDER BY " + quote(pk));
        Envelope extent = new Envelope();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                int number = geometries.size() + 1;
                Geometry g = geometry(rs.getBytes(1), number);
                if (g != null) {
                    extent.expandToInclude(g.getEnvelopeInternal());
                }
                geometries.add(g);
                Map<String, Object> row = new LinkedHashMap<>();
                int i = 2;
                for (Map.Entry<String, String> column : types.entrySet()) {
                    row.put(column.getKey(), value(rs.getObject(i++), column.getValue()));
                }
                rows.add(row);
            }
        }
        Crs crs = crs(db, srsId, extent, assumed);
        List<GeoFeature> features = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            features.add(new GeoFeature(crs.toLonLat(geometries.get(i), "feature " + (i + 1)), rows.get(i)));
        }
        return features;
    }

    private static Crs crs(Connection db, int srsId, Envelope extent, Crs assumed) throws SQLException {
        String organization = null;
        long code = 0;
        String definition = null;
        try (PreparedStatement s = db.prepareStatement("SELECT organization, organization_coordsys_id, definition"
                + " FROM gpkg_spatial_ref_sys WHERE srs_id = ?")) {
            s.setInt(1, srsId);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    organization = rs.getString(1);
                    code = rs.getLong(2);
                    definition = rs.getString(3);
                }
            }
        }
        if (organization == null && srsId > 0) {
            throw new GeoFileException("the layer's srs_id " + srsId + " is not in gpkg_spatial_ref_sys");
        }
        if (srsId <= 0 || organization == null || "NONE".equalsIgnoreCase(organization)
                || "undefined".equalsIgnoreCase(definition)) {
            try {
                return Crs.undeclared(extent, "the layer's coordinate system is undefined (srs_id " + srsId + ")");
            } catch (GeoFileException e) {
                if (assumed == null) {
                    throw e;
                }
                return assumed;
            }
        }
        if ("EPSG".equalsIgnoreCase(organization)) {
            return Crs.epsg((int) code);
        }
        return PrjCrs.parse(definition);
    }

    private static Object value(Object v, String type) {
        if (v == null) {
            return null;
        }
        if (type.equals("BOOLEAN") && v instanceof Number n) {
            return n.intValue() != 0;
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (type.equals("DATE") && v instanceof String s) {
            try {
                return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
            } catch (DateTimeParseException e) {
                return s;
            }
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float || v instanceof Double) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof byte[]) {
            return null; // BLOB attributes are not carried
        }
        return v instanceof String ? v : v.toString();
    }

    /** GeoPackageBinary → JTS; null for a NULL value. */
    static Geometry geometry(byte[] blob, int number) {
        if (blob == null) {
            return null;
        }
        String label = "feature " + number;
        if (blob.length < 8 || blob[0] != 'G' || blob[1] != 'P') {
            throw new GeoFileException(label + ": the geometry is not GeoPackageBinary (no \"GP\" header)");
        }
        int flags = blob[3];
        if ((flags & 0x20) != 0) {
            throw new GeoFileException(label + ": extended (non-standard) GeoPackage geometries are not supported");
        }
        int envelope = (flags >> 1) & 0x07;
        int envelopeBytes = switch (envelope) {
            case 0 -> 0;
            case 1 -> 32;
            case 2, 3 -> 48;
            case 4 -> 64;
            default -> throw new GeoFileException(label + ": the geometry header has an invalid envelope code " + envelope);
        };
        int wkbStart = 8 + envelopeBytes;
        if (blob.length < wkbStart) {
            throw new GeoFileException(label + ": the geometry is truncated");
        }
        try {
            return new WKBReader(GeoJsonFiles.FACTORY).read(java.util.Arrays.copyOfRange(blob, wkbStart, blob.length));
        } catch (ParseException | RuntimeException e) {
            throw new GeoFileException(label + ": the geometry cannot be read: " + e.getMessage());
        }
    }

    private static boolean tableExists(Connection db, String table) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view')"
                + " AND name = ?")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---- writing

    static byte[] write(String layer, List<GeoFeature> features) {
        return write(layer, features, 4326, "WGS 84 geodetic", "EPSG", WGS84_DEFINITION);
    }

    /** The features, whose coordinates are already in {@code srsId}, declared as that coordinate system. */
    static byte[] write(String layer, List<GeoFeature> features, int srsId, String srsName, String organization,
            String definition) {
        String table = layer.toLowerCase(Locale.ROOT).startsWith("gpkg_") || layer.toLowerCase(Locale.ROOT)
                .startsWith("rtree_") || layer.toLowerCase(Locale.ROOT).startsWith("sqlite_") ? "layer_" + layer : layer;
        Path file = temp();
        try {
            Files.delete(file); // SQLite creates it
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file, new Properties())) {
                write(db, table, features, srsId, srsName, organization, definition);
            }
            return Files.readAllBytes(file);
        } catch (SQLException e) {
            throw new IllegalStateException("writing the GeoPackage failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(file);
        }
    }

    private record Column(String property, String name, String type) {
    }

    private static void write(Connection db, String table, List<GeoFeature> features, int srsId, String srsName,
            String organization, String definition) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA application_id = " + APPLICATION_ID);
            s.execute("PRAGMA user_version = " + USER_VERSION);
            s.execute("""
                    CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
                      organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
                      description TEXT)""");
            s.execute("""
                    CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
                      identifier TEXT UNIQUE, description TEXT DEFAULT '',
                      last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
                      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""");
            s.execute("""
                    CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
                      geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
                      CONSTRAINT uk_gc_table_name UNIQUE (table_name),
                      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
                      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""");
            s.execute("""
                    INSERT INTO gpkg_spatial_ref_sys VALUES
                      ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
                      ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')""");
        }
        try (PreparedStatement s = db.prepareStatement("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, NULL)")) {
            if (srsId != 4326) {
                insertSrs(s, "WGS 84 geodetic", 4326, "EPSG", WGS84_DEFINITION);
            }
            insertSrs(s, srsName, srsId, organization, definition);
        }
        List<Column> columns = columns(features);
        Envelope extent = new Envelope();
        String geometryType = null;
        for (GeoFeature f : features) {
            if (f.geometry() != null) {
                extent.expandToInclude(f.geometry().getEnvelopeInternal());
                String t = f.geometry().getGeometryType().toUpperCase(Locale.ROOT);
                geometryType = geometryType == null || geometryType.equals(t) ? t : "GEOMETRY";
            }
        }
        StringBuilder create = new StringBuilder("CREATE TABLE ").append(quote(table))
                .append(" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ")
                .append(geometryType == null ? "GEOMETRY" : geometryType);
        columns.forEach(c -> create.append(", ").append(quote(c.name)).append(' ').append(c.type));
        create.append(')');
        try (Statement s = db.createStatement()) {
            s.execute(create.toString());
        }
        try (PreparedStatement s = db.prepareStatement("INSERT INTO gpkg_contents (table_name, data_type, identifier,"
                + " description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, '', ?, ?, ?, ?, ?)")) {
            s.setString(1, table);
            s.setString(2, table);
            for (int i = 0; i < 4; i++) {
                if (extent.isNull()) {
                    s.setNull(3 + i, Types.DOUBLE);
                } else {
                    s.setDouble(3 + i, new double[] {extent.getMinX(), extent.getMinY(), extent.getMaxX(),
                            extent.getMaxY()}[i]);
                }
            }
            s.setInt(7, srsId);
            s.executeUpdate();
        }
        try (PreparedStatement s = db.prepareStatement("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)")) {
            s.setString(1, table);
            s.setString(2, geometryType == null ? "GEOMETRY" : geometryType);
            s.setInt(3, srsId);
            s.executeUpdate();
        }
        StringBuilder insert = new StringBuilder("INSERT INTO ").append(quote(table)).append(" (geom");
        columns.forEach(c -> insert.append(", ").append(quote(c.name)));
        insert.append(") VALUES (?").append(", ?".repeat(columns.size())).append(')');
        db.setAutoCommit(false);
        try (PreparedStatement s = db.prepareStatement(insert.toString())) {
            for (GeoFeature f : features) {
                s.setBytes(1, f.geometry() == null ? null : binary(f.geometry(), srsId));
                int i = 2;
                for (Column c : columns) {
                    setValue(s, i++, c, f.properties().get(c.property));
                }
                s.addBatch();
            }
            s.executeBatch();
        }
        db.commit();
    }

    private static void insertSrs(PreparedStatement s, String name, int id, String organization, String definition)
            throws SQLException {
        s.setString(1, name);
        s.setInt(2, id);
        s.setString(3, organization);
        s.setInt(4, id);
        s.setString(5, definition);
        s.executeUpdate();
    }

    private static void setValue(PreparedStatement s, int index, Column c, Object v) throws SQLException {
        if (v == null || v instanceof Double d && !Double.isFinite(d)) {
            s.setNull(index, Types.NULL);
            return;
        }
        switch (c.type) {
            case "INTEGER" -> s.setLong(index, ((Number) v).longValue());
            case "REAL" -> s.setDouble(index, ((Number) v).doubleValue());
            case "BOOLEAN" -> s.setInt(index, (Boolean) v ? 1 : 0);
            default -> s.setString(index, v.toString()); // TEXT and DATE ("YYYY-MM-DD")
        }
    }

    private static List<Column> columns(List<GeoFeature> features) {
        Map<String, List<Object>> values = new LinkedHashMap<>();
        for (GeoFeature f : features) {
            for (Map.Entry<String, Object> p : f.properties().entrySet()) {
                values.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue());
            }
        }
        Set<String> taken = new HashSet<>(List.of("fid", "geom"));
        List<Column> columns = new ArrayList<>();
        for (Map.Entry<String, List<Object>> e : values.entrySet()) {
            String name = e.getKey();
            for (int i = 1; !taken.add(name.toLowerCase(Locale.ROOT)); i++) {
                name = e.getKey() + "_" + i;
            }
            List<Object> present = e.getValue().stream().filter(v -> v != null).toList();
            String type;
            if (!present.isEmpty() && present.stream().allMatch(v -> v instanceof Boolean)) {
                type = "BOOLEAN";
            } else if (!present.isEmpty() && present.stream().allMatch(v -> v instanceof LocalDate)) {
                type = "DATE";
            } else if (!present.isEmpty() && present.stream().allMatch(v -> v instanceof Long || v instanceof Integer
                    || v instanceof Short || v instanceof Byte || v instanceof BigInteger b && b.bitLength() < 64)) {
                type = "INTEGER";
            } else if (!present.isEmpty() && present.stream().allMatch(v -> v instanceof Number)) {
                type = "REAL";
            } else {
                type = "TEXT"; // text and mixed values
            }
            columns.add(new Column(e.getKey(), name, type));
        }
        return columns;
    }

    /** GeoPackageBinary: "GP", version 0, flags (little-endian, envelope [minx, maxx, miny, maxy] except for points), srs_id, WKB. */
    static byte[] binary(Geometry g, int srsId) {
        boolean empty = g.isEmpty();
        boolean envelope = !empty && !(g instanceof Point);
        int flags = 0x01 | (envelope ? 0x02 : 0) | (empty ? 0x10 : 0);
        byte[] wkb = new WKBWriter(2, ByteOrderValues.LITTLE_ENDIAN).write(g);
        ByteBuffer b = ByteBuffer.allocate(8 + (envelope ? 32 : 0) + wkb.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'G').put((byte) 'P').put((byte) 0).put((byte) flags).putInt(srsId);
        if (envelope) {
            Envelope e = g.getEnvelopeInternal();
            b.putDouble(e.getMinX()).putDouble(e.getMaxX()).putDouble(e.getMinY()).putDouble(e.getMaxY());
        }
        b.put(wkb);
        return b.array();
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static Path temp() {
        try {
            return Files.createTempFile("civicgrid-geofile-", ".gpkg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (IOException ignored) {
                // a temp file left behind is removed with the temp directory
            }
        }
    }
}

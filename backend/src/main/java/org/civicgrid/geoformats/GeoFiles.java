package org.civicgrid.geoformats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.locationtech.jts.geom.Geometry;

/**
 * Reading and writing GIS files with the LocationTech pieces GeoTools is built on (JTS, proj4j) and
 * SQLite for GeoPackage. Input in a projected CRS (a CGCS2000 Gauss-Krüger .prj, EPSG:4547…) is
 * transformed to lon/lat; output is lon/lat (EPSG:4326) with its CRS declared.
 *
 * <p>Limits: at most {@value #MAX_INPUT_BYTES} bytes in, {@value #MAX_FEATURES} features, and a zip whose
 * entries unpack to at most {@value #MAX_UNZIPPED_BYTES} bytes with no entry outside the archive.
 */
public final class GeoFiles {

    /** The largest file read (50 MB). */
    public static final long MAX_INPUT_BYTES = 50L * 1024 * 1024;
    /** The most features one file may hold. */
    public static final int MAX_FEATURES = 200_000;
    /** The most bytes a zip may unpack to (a zip bomb guard). */
    public static final long MAX_UNZIPPED_BYTES = 200L * 1024 * 1024;

    private GeoFiles() {
    }

    /** The format of an uploaded file, from its name and first bytes; unknown → {@link GeoFileException}. */
    public static GeoFileFormat detect(String fileName, byte[] content) {
        if (content == null || content.length == 0) {
            throw new GeoFileException("the file is empty");
        }
        if (startsWith(content, "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII))) {
            return GeoFileFormat.GEOPACKAGE;
        }
        if (startsWith(content, new byte[] {'P', 'K', 3, 4}) || startsWith(content, new byte[] {'P', 'K', 5, 6})) {
            return GeoFileFormat.SHAPEFILE_ZIP;
        }
        int i = startsWith(content, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}) ? 3 : 0;
        while (i < content.length && Character.isWhitespace(content[i])) {
            i++;
        }
        if (i < content.length && content[i] == '{') {
            return GeoFileFormat.GEOJSON;
        }
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".geojson") || name.endsWith(".json")) {
            return GeoFileFormat.GEOJSON; // reading it will say why it is not
        }
        if (name.endsWith(".shp") || name.endsWith(".dbf") || name.endsWith(".shx")) {
            throw new GeoFileException("a shapefile must be uploaded as one zip holding its .shp, .shx, .dbf and .prj");
        }
        if (name.endsWith(".gpkg")) {
            throw new GeoFileException("the file is not a GeoPackage: it does not start with the SQLite header");
        }
        throw new GeoFileException("unknown format of " + (fileName == null ? "the file" : "'" + fileName + "'")
                + ": expected GeoJSON, GeoPackage (.gpkg) or a zipped shapefile");
    }

    /** Every feature of the file, geometry in lon/lat; a bad file or feature → {@link GeoFileException} naming it. */
    public static List<GeoFeature> read(String fileName, byte[] content) {
        return read(fileName, content, (Integer) null);
    }

    /**
     * As {@link #read(String, byte[])}, but a file that declares no coordinate system (a shapefile without
     * .prj, a GeoPackage layer with srs_id 0 or -1, GeoJSON without a crs member) whose coordinates are not
     * lon/lat is taken to be in {@code assumedEpsg} (for example 4549, CGCS2000 3-degree Gauss-Krüger CM 120E);
     * null = such a file is refused.
     */
    public static List<GeoFeature> read(String fileName, byte[] content, Integer assumedEpsg) {
        if (content != null && content.length > MAX_INPUT_BYTES) {
            throw new GeoFileException("the file has " + content.length + " bytes; at most " + MAX_INPUT_BYTES
                    + " (50 MB) are read");
        }
        return readAs(fileName, content, assumedEpsg == null ? null : Crs.epsg(assumedEpsg));
    }

    private static List<GeoFeature> readAs(String fileName, byte[] content, Crs assumed) {
        return switch (detect(fileName, content)) {
            case GEOJSON -> GeoJsonFiles.read(content, assumed);
            case GEOPACKAGE -> GeoPackageFiles.read(content, assumed);
            case SHAPEFILE_ZIP -> readZip(content, assumed);
        };
    }

    /** The features as one layer named {@code layerName}, in lon/lat. */
    public static byte[] write(GeoFileFormat format, String layerName, List<GeoFeature> features) {
        String layer = layerName == null || layerName.isBlank() ? "features" : layerName.strip();
        return switch (format) {
            case GEOJSON -> GeoJsonFiles.write(layer, features);
            case GEOPACKAGE -> GeoPackageFiles.write(layer, features);
            case SHAPEFILE_ZIP -> ZipEntries.zip(ShapefileFiles.write(layer, features, StandardCharsets.UTF_8,
                    ShapefileFiles.WGS84_PRJ, true));
        };
    }

    /** A geometry in the given EPSG coordinate system (4326, 4490, 4491–4554, 3857, …) as lon/lat. */
    public static Geometry toLonLat(Geometry geometry, int epsg) {
        return Crs.epsg(epsg).toLonLat(geometry, "the geometry");
    }

    private static List<GeoFeature> readZip(byte[] content, Crs assumed) {
        Map<String, byte[]> entries = ZipEntries.unzip(content);
        List<String> shps = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String name : entries.keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".shp")) {
                shps.add(name);
            } else if (lower.endsWith(".gpkg") || lower.endsWith(".geojson") || lower.endsWith(".json")) {
                others.add(name);
            }
        }
        if (shps.size() > 1) {
            throw new GeoFileException("the zip holds " + shps.size() + " shapefiles (" + String.join(", ", shps)
                    + "); upload one per zip");
        }
        if (shps.isEmpty()) {
            if (others.size() == 1) {
                return readAs(others.get(0), entries.get(others.get(0)), assumed);
            }
            throw new GeoFileException("the zip holds no .shp file" + (entries.isEmpty() ? " (it is empty)"
                    : " (it holds " + String.join(", ", entries.keySet().stream().limit(10).toList()) + ")"));
        }
        String shp = shps.get(0);
        String base = shp.substring(0, shp.length() - 4);
        return ShapefileFiles.read(base, entry(entries, base, ".shp"), entry(entries, base, ".shx"),
                entry(entries, base, ".dbf"), entry(entries, base, ".prj"), entry(entries, base, ".cpg"), assumed);
    }

    private static byte[] entry(Map<String, byte[]> entries, String base, String extension) {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (e.getKey().equalsIgnoreCase(base + extension)) {
                return e.getValue();
            }
        }
        return null;
    }

    static void checkFeatureCount(long count) {
        if (count > MAX_FEATURES) {
            throw new GeoFileException("the file holds " + count + " features; at most " + MAX_FEATURES + " are read");
        }
    }

    private static boolean startsWith(byte[] content, byte[] prefix) {
        if (content.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (content[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

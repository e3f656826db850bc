package org.civicgrid.geoformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

/** Each bad file is refused with a message that says what is wrong and where. */
class GeoFilesBadInputTest {

    private static Map<String, byte[]> shapefile() {
        return new LinkedHashMap<>(ShapefileFiles.write("grids", Samples.polygons(), StandardCharsets.UTF_8,
                ShapefileFiles.WGS84_PRJ, true));
    }

    @Test
    void truncatedShp() {
        Map<String, byte[]> files = shapefile();
        byte[] shp = files.get("grids.shp");
        files.put("grids.shp", Arrays.copyOf(shp, shp.length - 10));

        assertThatThrownBy(() -> GeoFiles.read("g.zip", Samples.zip(files))).isInstanceOf(GeoFileException.class)
                .hasMessage("the .shp is truncated: its header declares " + shp.length + " bytes but it has "
                        + (shp.length - 10));
    }

    @Test
    void shpRecordRunningPastTheEnd() {
        Map<String, byte[]> files = shapefile();
        byte[] shp = files.get("grids.shp").clone();
        java.nio.ByteBuffer.wrap(shp).putInt(104, 100_000); // record 1 claims 200,000 bytes

        assertThatThrownBy(() -> GeoFiles.read("g.zip", Samples.zip(files.entrySet().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getKey().endsWith(".shp") ? shp : e.getValue())))))
                .isInstanceOf(GeoFileException.class)
                .hasMessageStartingWith("the .shp is truncated: record 1 needs 200000 bytes from byte 108");
    }

    @Test
    void missingDbf() {
        Map<String, byte[]> files = shapefile();
        files.remove("grids.dbf");

        assertThatThrownBy(() -> GeoFiles.read("g.zip", Samples.zip(files))).isInstanceOf(GeoFileException.class)
                .hasMessage("the zip holds grids.shp but not its grids.dbf (the attributes);"
                        + " zip the .shp, .shx, .dbf and .prj together");
    }

    @Test
    void zipSlipPath() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        shapefile().forEach((name, bytes) -> files.put("../../etc/" + name, bytes));

        assertThatThrownBy(() -> GeoFiles.read("g.zip", Samples.zip(files))).isInstanceOf(GeoFileException.class)
                .hasMessage("the zip entry '../../etc/grids.shp' points outside the archive");

        assertThatThrownBy(() -> GeoFiles.read("g.zip", Samples.zip(Map.of("/tmp/grids.shp", new byte[1]))))
                .hasMessage("the zip entry '/tmp/grids.shp' points outside the archive");
    }

    @Test
    void zipWithTwoShapefiles() {
        Map<String, byte[]> files = shapefile();
        shapefile().forEach((name, bytes) -> files.put("more/" + name, bytes));

        assertThatThrownBy(() -> GeoFiles.read("g.zip", Samples.zip(files))).isInstanceOf(GeoFileException.class)
                .hasMessage("the zip holds 2 shapefiles (grids.shp, more/grids.shp); upload one per zip");
    }

    @Test
    void zipWithoutShapefile() {
        assertThatThrownBy(() -> GeoFiles.read("g.zip", Samples.zip(Map.of("readme.txt", new byte[3]))))
                .isInstanceOf(GeoFileException.class)
                .hasMessage("the zip holds no .shp file (it holds readme.txt)");
    }

    @Test
    void zipHoldingOneGeoPackageIsReadToo() {
        byte[] gpkg = GeoFiles.write(GeoFileFormat.GEOPACKAGE, "p", Samples.points());

        assertThat(GeoFiles.read("p.zip", Samples.zip(Map.of("data/p.gpkg", gpkg)))).hasSize(2);
    }

    @Test
    void zipBomb() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.setLevel(java.util.zip.Deflater.BEST_SPEED);
            out.putNextEntry(new ZipEntry("grids.shp"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 201; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        assertThat(bytes.size()).isLessThan(1024 * 1024);

        assertThatThrownBy(() -> GeoFiles.read("bomb.zip", bytes.toByteArray())).isInstanceOf(GeoFileException.class)
                .hasMessage("the zip unpacks to more than 209715200 bytes (200 MB)");
    }

    @Test
    void unparseableGeoJsonFeatureIsNamed() {
        String json = """
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "properties": {"n": 1}, "geometry": {"type": "Point", "coordinates": [120, 31]}},
                  {"type": "Feature", "properties": {"n": 2}, "geometry": {"type": "Point", "coordinates": [120, 31]}},
                  {"type": "Feature", "properties": {"n": 3}, "geometry": {"type": "Polygon",
                     "coordinates": [[[120, 31], [121, 31], [120, 31]]]}}
                ]}""";

        assertThatThrownBy(() -> GeoFiles.read("x.geojson", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeoFileException.class)
                .hasMessage("feature 3: the geometry cannot be read: polygon ring 1 has 3 positions;"
                        + " at least 4 are needed");

        String notCoordinates = json.replace("[[[120, 31], [121, 31], [120, 31]]]", "\"oops\"");
        assertThatThrownBy(() -> GeoFiles.read("x.geojson", notCoordinates.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("feature 3: the geometry cannot be read: \"coordinates\" is not an array");

        String brokenJson = json.replace("{\"n\": 3}", "{\"n\": 3,,}");
        assertThatThrownBy(() -> GeoFiles.read("x.geojson", brokenJson.getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("feature 3: not valid JSON");
    }

    @Test
    void geoJsonFeatureIdBecomesTheIdProperty() {
        String json = """
                {"type": "Feature", "id": "grid-17", "properties": {"名称": "一网格", "d": "2024-02-30"},
                 "geometry": {"type": "Point", "coordinates": [120.5, 31.2]}}""";

        List<GeoFeature> read = GeoFiles.read("one.json", json.getBytes(StandardCharsets.UTF_8));

        assertThat(read).hasSize(1);
        // "2024-02-30" looks like a date but is none: kept as text
        assertThat(read.get(0).properties()).containsExactly(Map.entry("名称", "一网格"), Map.entry("d", "2024-02-30"),
                Map.entry("id", "grid-17"));
    }

    @Test
    void unknownFormat() {
        assertThatThrownBy(() -> GeoFiles.read("notes.txt", "hello".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeoFileException.class)
                .hasMessage("unknown format of 'notes.txt': expected GeoJSON, GeoPackage (.gpkg) or a zipped shapefile");
        assertThatThrownBy(() -> GeoFiles.read("grids.shp", new byte[] {0, 0, 39, 10}))
                .hasMessage("a shapefile must be uploaded as one zip holding its .shp, .shx, .dbf and .prj");
    }

    @Test
    void sqliteThatIsNoGeoPackage() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("plain", ".sqlite");
        java.nio.file.Files.delete(file);
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var s = db.createStatement()) {
            s.execute("CREATE TABLE t (a INTEGER)");
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.delete(file);

        assertThatThrownBy(() -> GeoFiles.read("t.gpkg", bytes)).isInstanceOf(GeoFileException.class)
                .hasMessageContaining("an SQLite database but not a GeoPackage");
    }

    @Test
    void tooLargeFile() {
        byte[] big = new byte[(int) GeoFiles.MAX_INPUT_BYTES + 1];
        big[0] = '{';

        assertThatThrownBy(() -> GeoFiles.read("big.geojson", big)).isInstanceOf(GeoFileException.class)
                .hasMessage("the file has 52428801 bytes; at most 52428800 (50 MB) are read");
    }

    @Test
    void tooManyFeatures() {
        StringBuilder json = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        String feature = "{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}";
        for (int i = 0; i <= GeoFiles.MAX_FEATURES; i++) {
            json.append(i == 0 ? "" : ",").append(feature);
        }
        json.append("]}");

        assertThatThrownBy(() -> GeoFiles.read("many.geojson", json.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeoFileException.class)
                .hasMessage("the file holds 200001 features; at most 200000 are read");
    }

    @Test
    void gbkDbfWithoutCpgReadsChineseNames() {
        Map<String, byte[]> files = new LinkedHashMap<>(ShapefileFiles.write("grids", Samples.polygons(),
                Charset.forName("GBK"), ShapefileFiles.WGS84_PRJ, false));
        assertThat(files).doesNotContainKey("grids.cpg");

        List<GeoFeature> read = GeoFiles.read("g.zip", Samples.zip(files));

        assertThat(read.get(0).properties()).containsEntry("名称", "平江街道第一网格");
        assertThat(read.get(1).properties()).containsEntry("名称", "观前社区·二网格");
    }

    @Test
    void cpgNamingGbkIsHonoured() {
        Map<String, byte[]> files = new LinkedHashMap<>(ShapefileFiles.write("grids", Samples.polygons(),
                Charset.forName("GBK"), ShapefileFiles.WGS84_PRJ, false));
        files.put("grids.cpg", "936".getBytes(StandardCharsets.US_ASCII));

        assertThat(GeoFiles.read("g.zip", Samples.zip(files)).get(0).properties()).containsEntry("名称", "平江街道第一网格");
    }
}

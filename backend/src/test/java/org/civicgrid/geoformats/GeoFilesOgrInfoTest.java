package org.civicgrid.geoformats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What QGIS will see: GDAL's ogrinfo (QGIS reads files through GDAL) opens every written format and reports the
 * layer, its feature count, its fields and WGS 84 (EPSG:4326). Skipped only where ogrinfo is not installed
 * (./civicgrid test installs gdal-bin).
 */
class GeoFilesOgrInfoTest {

    private static String ogrinfo;
    private static String ogr2ogr;

    @BeforeAll
    static void findOgrinfo() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "ogrinfo"))) {
                ogrinfo = Path.of(dir, "ogrinfo").toString();
                ogr2ogr = Path.of(dir, "ogr2ogr").toString();
                return;
            }
        }
        Assumptions.assumeTrue(false, "ogrinfo (gdal-bin) is not installed");
    }

    @ParameterizedTest
    @EnumSource(GeoFileFormat.class)
    void gdalOpensTheWrittenFile(GeoFileFormat format, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("grids." + format.extension);
        Files.write(file, GeoFiles.write(format, "grids", Samples.polygons()));
        String path = format == GeoFileFormat.SHAPEFILE_ZIP ? "/vsizip/" + file : file.toString();

        Process process = new ProcessBuilder(ogrinfo, "-ro", "-al", "-so", path).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("ERROR", "Warning");
        assertThat(out).contains("Layer name: grids", "Feature Count: 3", "Extent: (120.600000, 31.300000) - (120.67123");
        assertThat(out).containsPattern("(?s)Layer SRS WKT:\\s*GEOGCRS\\[\"WGS 84\".*ID\\[\"EPSG\",4326\\]");
        assertThat(out).contains("名称: String", "points: Integer", "area_km2: Real", "since: Date");
        assertThat(out).containsPattern(format == GeoFileFormat.SHAPEFILE_ZIP ? "Geometry: Polygon"
                : format == GeoFileFormat.GEOPACKAGE ? "Geometry: Unknown \\(any\\)|Geometry: Geometry" : "Geometry: ");
    }

    /** And the other way round: what GDAL (so QGIS) writes in Gauss-Krüger is read back at its lon/lat. */
    @org.junit.jupiter.api.Test
    void readsWhatGdalWritesInGaussKruger(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(ogr2ogr)), "ogr2ogr is not installed");
        Path source = dir.resolve("source.geojson");
        Files.write(source, GeoFiles.write(GeoFileFormat.GEOJSON, "grids", Samples.polygons()));

        Path gpkg = dir.resolve("grids4549.gpkg");
        run(ogr2ogr, "-t_srs", "EPSG:4549", "-nln", "grids", gpkg.toString(), source.toString());
        GeoFilesCrsTest.assertBackAtLonLat(GeoFiles.read("grids.gpkg", Files.readAllBytes(gpkg)), Samples.polygons(),
                false);

        Path shapeDir = dir.resolve("shp");
        run(ogr2ogr, "-t_srs", "EPSG:4528", "-lco", "ENCODING=GBK", "-nln", "grids", shapeDir.toString(), source.toString());
        java.util.Map<String, byte[]> files = new java.util.TreeMap<>();
        try (var list = Files.list(shapeDir)) {
            for (Path f : list.toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        assertThat(files).containsKeys("grids.shp", "grids.shx", "grids.dbf", "grids.prj", "grids.cpg");
        java.util.List<GeoFeature> read = GeoFiles.read("grids.zip", Samples.zip(files));
        assertThat(read).hasSize(3);
        for (int i = 0; i < 3; i++) {
            GeoFeature expected = Samples.polygons().get(i);
            Samples.assertSameShape(read.get(i).geometry(), expected.geometry(), 1e-6);
            for (String name : java.util.List.of("code", "名称", "points", "since")) {
                assertThat(read.get(i).properties().get(name)).as(name).isEqualTo(expected.properties().get(name));
            }
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
    }
}

package org.civicgrid.geoformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicgrid.geoformats.Samples.assertSameFeatures;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;

class GeoFilesRoundTripTest {

    @ParameterizedTest
    @EnumSource(GeoFileFormat.class)
    void polygonsWithHolesMultipolygonsAndAttributesSurviveTheRoundTrip(GeoFileFormat format) {
        byte[] file = GeoFiles.write(format, "网格", Samples.polygons());

        assertThat(GeoFiles.detect("upload." + format.extension, file)).isEqualTo(format);
        List<GeoFeature> read = GeoFiles.read("upload." + format.extension, file);

        // shapefiles prescribe ring orientation (outer clockwise), so only there are rings compared normalised
        assertSameFeatures(read, Samples.polygons(), format == GeoFileFormat.SHAPEFILE_ZIP);
        assertThat(read.get(0).geometry()).isInstanceOf(Polygon.class);
        assertThat(((Polygon) read.get(0).geometry()).getNumInteriorRing()).isEqualTo(1);
        assertThat(read.get(1).geometry().getNumGeometries()).isEqualTo(2);
        assertThat(read.get(0).properties().get("since")).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(read.get(1).properties().get("名称")).isEqualTo("观前社区·二网格");
    }

    @ParameterizedTest
    @EnumSource(GeoFileFormat.class)
    void pointsSurviveTheRoundTrip(GeoFileFormat format) {
        byte[] file = GeoFiles.write(format, "points", Samples.points());

        assertSameFeatures(GeoFiles.read("p." + format.extension, file), Samples.points(), false);
    }

    @ParameterizedTest
    @EnumSource(GeoFileFormat.class)
    void linesSurviveTheRoundTrip(GeoFileFormat format) {
        byte[] file = GeoFiles.write(format, "roads", Samples.lines());

        assertSameFeatures(GeoFiles.read("l." + format.extension, file), Samples.lines(), false);
    }

    @Test
    void geoJsonIsAFeatureCollectionWithSevenDecimals() {
        Geometry precise = Samples.wkt("POINT (120.123456789 31.987654321)");
        String json = new String(GeoFiles.write(GeoFileFormat.GEOJSON, "x",
                List.of(new GeoFeature(precise, Map.of("n", 1L)))), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"type\":\"FeatureCollection\"")
                .contains("\"coordinates\":[120.1234568,31.9876543]");
    }

    @Test
    void shapefileZipHoldsItsFilesWithUtf8CodePageAndWgs84Prj() {
        Map<String, byte[]> files = ZipEntries.unzip(GeoFiles.write(GeoFileFormat.SHAPEFILE_ZIP, "grids",
                Samples.polygons()));

        assertThat(files.keySet()).containsExactly("grids.shp", "grids.shx", "grids.dbf", "grids.prj", "grids.cpg");
        assertThat(new String(files.get("grids.cpg"), StandardCharsets.US_ASCII)).isEqualTo("UTF-8");
        assertThat(new String(files.get("grids.prj"), StandardCharsets.US_ASCII)).startsWith("GEOGCS[\"GCS_WGS_1984\"");
        // .shx: 100-byte header plus 8 bytes per record
        assertThat(files.get("grids.shx")).hasSize(100 + 8 * 3);
    }

    @Test
    void longAttributeNamesAreCutToTenBytesAndKeptUnique() {
        List<GeoFeature> features = List.of(new GeoFeature(Samples.wkt("POINT (120 31)"),
                Samples.props("population_2020", 1L, "population_2021", 2L, "人口数量统计", 3L)));

        List<GeoFeature> read = GeoFiles.read("x.zip", GeoFiles.write(GeoFileFormat.SHAPEFILE_ZIP, "x", features));

        assertThat(read.get(0).properties()).containsExactly(Map.entry("population", 1L),
                Map.entry("populati_1", 2L), Map.entry("人口数", 3L));
    }

    @Test
    void mixedGeometryTypesCannotShareAShapefile() {
        List<GeoFeature> mixed = List.of(Samples.points().get(0), Samples.lines().get(0));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GeoFiles.write(GeoFileFormat.SHAPEFILE_ZIP, "m", mixed))
                .isInstanceOf(GeoFileException.class)
                .hasMessageContaining("one geometry type: feature 2 is a LineString after Points");
    }

    @Test
    void geoPackageKeepsMixedTypesAsGeometry() {
        List<GeoFeature> mixed = List.of(Samples.points().get(0), Samples.lines().get(0));

        List<GeoFeature> read = GeoFiles.read("m.gpkg", GeoFiles.write(GeoFileFormat.GEOPACKAGE, "m", mixed));

        Samples.assertSameGeometry(read.get(0).geometry(), mixed.get(0).geometry(), false);
        Samples.assertSameGeometry(read.get(1).geometry(), mixed.get(1).geometry(), false);
        // one table: every feature has every column
        assertThat(read.get(0).properties()).containsExactly(Map.entry("name", "垃圾桶 #1"), Map.entry("count", 3L),
                new java.util.AbstractMap.SimpleEntry<>("road", null));
        assertThat(read.get(1).properties()).containsEntry("road", "人民路").containsEntry("name", null);
    }
}

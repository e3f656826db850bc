package org.civicgrid.geoformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;

/** Projected input lands where it belongs: coordinates projected here with proj4j are read back as the lon/lat they came from. */
class GeoFilesCrsTest {

    /** EPSG:4549 as GDAL writes it (OGC WKT 1). */
    static final String PRJ_4549 = "PROJCS[\"CGCS2000 / 3-degree Gauss-Kruger CM 120E\",GEOGCS[\"China Geodetic Coordinate System 2000\","
            + "DATUM[\"China_2000\",SPHEROID[\"CGCS2000\",6378137,298.257222101,AUTHORITY[\"EPSG\",\"1024\"]],"
            + "AUTHORITY[\"EPSG\",\"1043\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
            + "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4490\"]],"
            + "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",120],"
            + "PARAMETER[\"scale_factor\",1],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",0],"
            + "UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],AXIS[\"Northing\",NORTH],AXIS[\"Easting\",EAST],"
            + "AUTHORITY[\"EPSG\",\"4549\"]]";

    /** EPSG:4528 (zone 40, the zone number in front of the easting) as ArcGIS writes it (ESRI WKT, no authority). */
    static final String PRJ_4528_ESRI = "PROJCS[\"CGCS2000_3_Degree_GK_Zone_40\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\","
            + "DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",40500000.0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",120.0],PARAMETER[\"Scale_Factor\",1.0],"
            + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

    static final String TM_4549 = "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs";
    static final String TM_4528 = "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=40500000 +y_0=0 +ellps=GRS80 +units=m +no_defs";

    /** The features with every coordinate projected from lon/lat (CGCS2000) by proj4j. */
    static List<GeoFeature> projected(List<GeoFeature> features, String proj4) {
        CRSFactory factory = new CRSFactory();
        CoordinateTransform transform = new CoordinateTransformFactory().createTransform(
                factory.createFromParameters("CGCS2000", "+proj=longlat +ellps=GRS80 +no_defs"),
                factory.createFromParameters("GK", proj4));
        List<GeoFeature> out = new ArrayList<>();
        for (GeoFeature f : features) {
            Geometry g = f.geometry().copy();
            g.apply(new CoordinateSequenceFilter() {
                @Override
                public void filter(CoordinateSequence seq, int i) {
                    ProjCoordinate p = transform.transform(new ProjCoordinate(seq.getX(i), seq.getY(i)), new ProjCoordinate());
                    seq.setOrdinate(i, 0, p.x);
                    seq.setOrdinate(i, 1, p.y);
                }

                @Override
                public boolean isDone() {
                    return false;
                }

                @Override
                public boolean isGeometryChanged() {
                    return true;
                }
            });
            out.add(new GeoFeature(g, f.properties()));
        }
        return out;
    }

    static void assertBackAtLonLat(List<GeoFeature> read, List<GeoFeature> original, boolean normalize) {
        assertThat(read).hasSameSizeAs(original);
        for (int i = 0; i < original.size(); i++) {
            if (normalize) { // ring orientation and start vertex may differ
                Samples.assertSameShape(read.get(i).geometry(), original.get(i).geometry(), 1e-6);
            } else {
                Geometry a = read.get(i).geometry();
                Geometry e = original.get(i).geometry();
                assertThat(a.equalsExact(e, 1e-6)).as("feature %d: %s is back at %s", i + 1, a, e).isTrue();
            }
            assertThat(read.get(i).properties()).isEqualTo(original.get(i).properties());
        }
    }

    static byte[] shapefileZip(List<GeoFeature> features, String prj) {
        return Samples.zip(ShapefileFiles.write("grids", features, StandardCharsets.UTF_8, prj, true));
    }

    @Test
    void gaussKrugerShapefileCm120IsReadBackAsLonLat() {
        List<GeoFeature> projected = projected(Samples.polygons(), TM_4549);
        assertThat(projected.get(0).geometry().getCoordinate().x).isBetween(550_000.0, 570_000.0); // really metres

        assertBackAtLonLat(GeoFiles.read("grids.zip", shapefileZip(projected, PRJ_4549)), Samples.polygons(), true);
    }

    @Test
    void zonePrefixedGaussKrugerShapefileInEsriWktIsReadBackAsLonLat() {
        List<GeoFeature> projected = projected(Samples.points().subList(0, 1), TM_4528);
        assertThat(projected.get(0).geometry().getCoordinate().x).isBetween(40_500_000.0, 40_600_000.0);

        assertBackAtLonLat(GeoFiles.read("p.zip", shapefileZip(projected, PRJ_4528_ESRI)), Samples.points().subList(0, 1),
                false);
    }

    @Test
    void shapefileWithoutPrjIsLonLatOnlyWhenItsCoordinatesCanBe() {
        Map<String, byte[]> files = new LinkedHashMap<>(ShapefileFiles.write("grids", projected(Samples.polygons(), TM_4549),
                StandardCharsets.UTF_8, ShapefileFiles.WGS84_PRJ, true));
        files.remove("grids.prj");

        assertThatThrownBy(() -> GeoFiles.read("g.zip", Samples.zip(files)))
                .isInstanceOf(GeoFileException.class)
                .hasMessageStartingWith("no .prj file beside grids.shp and the coordinates (e.g. 5")
                .hasMessageContaining("are not lon/lat");
        // the caller may say what such files are in
        assertBackAtLonLat(GeoFiles.read("g.zip", Samples.zip(files), 4549), Samples.polygons(), true);

        Map<String, byte[]> lonLat = new LinkedHashMap<>(ShapefileFiles.write("grids", Samples.polygons(),
                StandardCharsets.UTF_8, ShapefileFiles.WGS84_PRJ, true));
        lonLat.remove("grids.prj");
        assertBackAtLonLat(GeoFiles.read("g.zip", Samples.zip(lonLat)), Samples.polygons(), true);
    }

    @Test
    void unsupportedProjectionsAreNamed() {
        String lambert = "PROJCS[\"Asia_Lambert_Conformal_Conic\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\","
                + "SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
                + "PROJECTION[\"Lambert_Conformal_Conic\"],PARAMETER[\"Central_Meridian\",105.0],UNIT[\"Meter\",1.0]]";
        assertThatThrownBy(() -> GeoFiles.read("g.zip", shapefileZip(Samples.points(), lambert)))
                .isInstanceOf(GeoFileException.class)
                .hasMessage("unsupported projection Lambert_Conformal_Conic of \"Asia_Lambert_Conformal_Conic\":"
                        + " only lon/lat and Transverse Mercator (Gauss-Krüger) on CGCS2000/WGS84 are read");

        String beijing54 = "GEOGCS[\"GCS_Beijing_1954\",DATUM[\"D_Beijing_1954\",SPHEROID[\"Krasovsky_1940\",6378245.0,298.3]],"
                + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";
        assertThatThrownBy(() -> GeoFiles.read("g.zip", shapefileZip(Samples.points(), beijing54)))
                .isInstanceOf(GeoFileException.class)
                .hasMessageContaining("unsupported coordinate system \"GCS_Beijing_1954\" (GEOGCS)");
    }

    @Test
    void geoJsonWithALegacyCrsMemberIsTransformed() {
        List<GeoFeature> projected = projected(Samples.polygons(), TM_4549);
        String collection = new String(GeoFiles.write(GeoFileFormat.GEOJSON, "g", projected), StandardCharsets.UTF_8);
        String legacy = collection.replaceFirst("\\{\"type\":\"FeatureCollection\",",
                "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::4549\"}},");

        // 7 decimals of a metre are far below 1e-6 degrees
        assertBackAtLonLat(GeoFiles.read("g.geojson", legacy.getBytes(StandardCharsets.UTF_8)), Samples.polygons(), false);

        String cgcs2000 = new String(GeoFiles.write(GeoFileFormat.GEOJSON, "g", Samples.points()), StandardCharsets.UTF_8)
                .replaceFirst(",\"name\":\"g\"", ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4490\"}}");
        assertBackAtLonLat(GeoFiles.read("g.json", cgcs2000.getBytes(StandardCharsets.UTF_8)), Samples.points(), false);
    }

    @Test
    void geoJsonWithoutCrsButWithMetresIsRefused() {
        byte[] file = GeoFiles.write(GeoFileFormat.GEOJSON, "g", projected(Samples.lines(), TM_4549));

        assertThatThrownBy(() -> GeoFiles.read("g.geojson", file)).isInstanceOf(GeoFileException.class)
                .hasMessageContaining("the GeoJSON declares no \"crs\" and the coordinates");
    }

    @Test
    void geoPackageInEpsg4549IsTransformed() {
        byte[] gpkg = GeoPackageFiles.write("grids", projected(Samples.polygons(), TM_4549), 4549,
                "CGCS2000 / 3-degree Gauss-Kruger CM 120E", "EPSG", PRJ_4549);

        assertBackAtLonLat(GeoFiles.read("grids.gpkg", gpkg), Samples.polygons(), false);
    }

    @Test
    void geoPackageWithANonEpsgSrsIsReadFromItsDefinition() {
        byte[] gpkg = GeoPackageFiles.write("grids", projected(Samples.polygons(), TM_4528), 100001,
                "local zone 40", "CIVICGRID", PRJ_4528_ESRI);

        assertBackAtLonLat(GeoFiles.read("grids.gpkg", gpkg), Samples.polygons(), false);
    }

    @Test
    void toLonLatConvertsAGeometryFromAnEpsgCode() {
        Geometry point = projected(Samples.points().subList(0, 1), TM_4549).get(0).geometry();

        assertThat(GeoFiles.toLonLat(point, 4549).equalsExact(Samples.points().get(0).geometry(), 1e-6)).isTrue();
    }
}

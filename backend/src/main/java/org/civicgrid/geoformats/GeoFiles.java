package org.civicgrid.geoformats;

import java.util.List;

/**
 * Reading and writing GIS files with the LocationTech pieces GeoTools is built on (JTS, proj4j) and
 * SQLite for GeoPackage. Input in a projected CRS (a CGCS2000 Gauss-Krüger .prj, EPSG:4547…) is
 * transformed to lon/lat; output is lon/lat (EPSG:4326) with its CRS declared.
 */
public final class GeoFiles {

    private GeoFiles() {
    }

    /** The format of an uploaded file, from its name and first bytes; unknown → {@link GeoFileException}. */
    public static GeoFileFormat detect(String fileName, byte[] content) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Every feature of the file, geometry in lon/lat; a bad file or feature → {@link GeoFileException} naming it. */
    public static List<GeoFeature> read(String fileName, byte[] content) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The features as one layer named {@code layerName}, in lon/lat. */
    public static byte[] write(GeoFileFormat format, String layerName, List<GeoFeature> features) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}

package org.civicgrid.geoformats;

/** The GIS file formats CivicGrid reads and writes (all openable in QGIS). */
public enum GeoFileFormat {
    GEOJSON("geojson", "application/geo+json"),
    GEOPACKAGE("gpkg", "application/geopackage+sqlite3"),
    /** A zip holding .shp, .shx, .dbf, .prj (and .cpg). */
    SHAPEFILE_ZIP("zip", "application/zip");

    public final String extension;
    public final String contentType;

    GeoFileFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }
}

package org.civicgrid.transfer;

import java.util.Locale;

import org.civicgrid.geoformats.GeoFileFormat;
import org.civicgrid.web.InvalidParameterException;

enum ExportFormat {
    CSV("csv", "text/csv;charset=UTF-8", null),
    XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", null),
    GEOJSON("geojson", GeoFileFormat.GEOJSON.contentType, GeoFileFormat.GEOJSON),
    GPKG("gpkg", GeoFileFormat.GEOPACKAGE.contentType, GeoFileFormat.GEOPACKAGE);

    final String extension;
    final String contentType;
    final GeoFileFormat geoFormat;

    ExportFormat(String extension, String contentType, GeoFileFormat geoFormat) {
        this.extension = extension;
        this.contentType = contentType;
        this.geoFormat = geoFormat;
    }

    static ExportFormat parse(String text) {
        if (text == null || text.isBlank()) {
            return CSV;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> CSV;
            case "xlsx" -> XLSX;
            case "geojson", "json" -> GEOJSON;
            case "gpkg", "geopackage" -> GPKG;
            default -> throw new InvalidParameterException("format", "'" + text + "' is not one of csv, xlsx, geojson, gpkg");
        };
    }
}

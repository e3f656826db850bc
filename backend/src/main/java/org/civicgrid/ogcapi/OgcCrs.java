package org.civicgrid.ogcapi;

import java.util.Arrays;
import java.util.List;

import org.civicgrid.web.InvalidParameterException;

/**
 * The coordinate reference systems offered (OGC API – Features Part 2). Data is stored as CRS84 (lon/lat
 * WGS84 = CGCS2000 for web maps, domain.md §8). EPSG:4326 and EPSG:4490 have latitude first; EPSG:4490 is
 * served with the same numbers as EPSG:4326 (the datums agree to centimetres).
 */
enum OgcCrs {

    CRS84("http://www.opengis.net/def/crs/OGC/1.3/CRS84", false, false, 9),
    EPSG_4326("http://www.opengis.net/def/crs/EPSG/0/4326", true, false, 9),
    EPSG_4490("http://www.opengis.net/def/crs/EPSG/0/4490", true, false, 9),
    EPSG_3857("http://www.opengis.net/def/crs/EPSG/0/3857", false, true, 4);

    final String uri;
    final boolean latitudeFirst;
    final boolean webMercator;
    final int decimals;

    OgcCrs(String uri, boolean latitudeFirst, boolean webMercator, int decimals) {
        this.uri = uri;
        this.latitudeFirst = latitudeFirst;
        this.webMercator = webMercator;
        this.decimals = decimals;
    }

    static List<String> uris() {
        return Arrays.stream(values()).map(c -> c.uri).toList();
    }

    /** The CRS named by a parameter (its URI, or the short forms EPSG:4326 and [OGC:CRS84] some clients send); absent → CRS84. */
    static OgcCrs parse(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return CRS84;
        }
        String v = value.strip();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        for (OgcCrs crs : values()) {
            String code = crs.uri.substring(crs.uri.lastIndexOf('/') + 1);
            String authority = crs == CRS84 ? "OGC" : "EPSG";
            if (crs.uri.equals(v) || v.equalsIgnoreCase(authority + ":" + code) || crs.uri.replace("http://", "https://").equals(v)) {
                return crs;
            }
        }
        throw new InvalidParameterException(parameter, "'" + value + "' is not offered; use one of " + String.join(", ", uris()));
    }

    /** SQL turning a stored CRS84 geometry expression into GeoJSON geometry in this CRS. */
    String geoJsonSql(String geometry) {
        String g = webMercator ? "ST_Transform(" + geometry + ", 3857)" : latitudeFirst ? "ST_FlipCoordinates(" + geometry + ")" : geometry;
        return "ST_AsGeoJSON(" + g + ", " + decimals + ", 0)::json";
    }

    /** SQL of the stored-CRS (4326, lon/lat) envelope of a box given in this CRS as :bx0..:bx3 in this CRS's axis order. */
    String envelopeSql() {
        if (webMercator) {
            return "ST_Transform(ST_MakeEnvelope(:bx0, :bx1, :bx2, :bx3, 3857), 4326)";
        }
        return latitudeFirst ? "ST_MakeEnvelope(:bx1, :bx0, :bx3, :bx2, 4326)" : "ST_MakeEnvelope(:bx0, :bx1, :bx2, :bx3, 4326)";
    }

    String header() {
        return "<" + uri + ">";
    }
}

package org.civicgrid.geoformats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The coordinate system of a WKT 1 definition (a shapefile's .prj, in OGC or ESRI flavour; a GeoPackage
 * definition): GEOGCS on WGS84/CGCS2000 is lon/lat; PROJCS Transverse Mercator / Gauss-Krüger on those
 * ellipsoids is built from its PARAMETERs; anything else is refused naming it, unless the root carries an
 * EPSG AUTHORITY proj4j knows.
 */
final class PrjCrs {

    private PrjCrs() {
    }

    /** A WKT node: KEYWORD["name", 1.0, CHILD[...], ...]. Values are String, Double or Node. */
    record Node(String keyword, List<Object> values) {

        String name() {
            return values.isEmpty() || !(values.get(0) instanceof String s) ? "" : s;
        }

        Node child(String... keywords) {
            for (Object v : values) {
                if (v instanceof Node n) {
                    for (String k : keywords) {
                        if (n.keyword.equalsIgnoreCase(k)) {
                            return n;
                        }
                    }
                }
            }
            return null;
        }

        double number(int index) {
            Object v = index < values.size() ? values.get(index) : null;
            if (v instanceof Double d) {
                return d;
            }
            throw new GeoFileException("the coordinate system " + keyword + "[\"" + name() + "\"] lacks a number");
        }
    }

    static Crs parse(String wkt) {
        Node root;
        try {
            root = new Parser(wkt.strip()).node();
        } catch (RuntimeException e) {
            if (e instanceof GeoFileException g) {
                throw g;
            }
            throw new GeoFileException("the coordinate system definition cannot be read: " + e.getMessage());
        }
        String kind = root.keyword.toUpperCase(Locale.ROOT);
        if (kind.equals("GEOGCS") && wgs84Ellipsoid(root)) {
            return Crs.lonLat(root.name());
        }
        if (kind.equals("PROJCS") && root.child("GEOGCS") != null && wgs84Ellipsoid(root.child("GEOGCS"))) {
            Node projection = root.child("PROJECTION");
            String method = projection == null ? "" : projection.name();
            String m = method.toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
            if (m.equals("transverse_mercator") || m.equals("gauss_kruger") || m.equals("gauss_krueger")) {
                return Crs.proj4(root.name(), "+proj=tmerc"
                        + " +lat_0=" + parameter(root, 0, "latitude_of_origin", "latitude_of_center")
                        + " +lon_0=" + parameter(root, Double.NaN, "central_meridian", "longitude_of_center")
                        + " +k=" + parameter(root, 1, "scale_factor", "scale_factor_at_natural_origin")
                        + " +x_0=" + parameter(root, 0, "false_easting") * unit(root)
                        + " +y_0=" + parameter(root, 0, "false_northing") * unit(root)
                        + " +ellps=" + ellipsoidName(root.child("GEOGCS"))
                        + (unit(root) == 1 ? " +units=m" : " +to_meter=" + unit(root)) + " +no_defs");
            }
            Integer code = epsg(root);
            if (code != null) {
                return Crs.epsg(code);
            }
            throw new GeoFileException("unsupported projection " + (method.isEmpty() ? "(none)" : method) + " of \""
                    + root.name() + "\": only lon/lat and Transverse Mercator (Gauss-Krüger) on CGCS2000/WGS84 are read");
        }
        Integer code = epsg(root);
        if (code != null) {
            return Crs.epsg(code);
        }
        throw new GeoFileException("unsupported coordinate system \"" + root.name() + "\" (" + root.keyword
                + "): only lon/lat and Transverse Mercator (Gauss-Krüger) on CGCS2000/WGS84 are read");
    }

    private static Integer epsg(Node root) {
        Node authority = root.child("AUTHORITY", "ID");
        if (authority != null && authority.name().equalsIgnoreCase("EPSG") && authority.values.size() > 1) {
            Object code = authority.values.get(1);
            try {
                return code instanceof Double d ? (int) d.doubleValue() : Integer.parseInt(String.valueOf(code).trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean wgs84Ellipsoid(Node geogcs) {
        Node datum = geogcs.child("DATUM");
        Node spheroid = datum == null ? null : datum.child("SPHEROID", "ELLIPSOID");
        return spheroid != null && Math.abs(spheroid.number(1) - 6378137.0) < 0.01
                && Math.abs(spheroid.number(2) - 298.257) < 0.001;
    }

    private static String ellipsoidName(Node geogcs) {
        double inverseFlattening = geogcs.child("DATUM").child("SPHEROID", "ELLIPSOID").number(2);
        return Math.abs(inverseFlattening - 298.257223563) < 1e-7 ? "WGS84" : "GRS80";
    }

    private static double unit(Node projcs) {
        Node unit = projcs.child("UNIT");
        return unit == null ? 1 : unit.number(1);
    }

    private static double parameter(Node projcs, double fallback, String... names) {
        for (Object v : projcs.values) {
            if (v instanceof Node n && n.keyword.equalsIgnoreCase("PARAMETER")) {
                for (String name : names) {
                    if (n.name().equalsIgnoreCase(name)) {
                        return n.number(1);
                    }
                }
            }
        }
        if (Double.isNaN(fallback)) {
            throw new GeoFileException("the projection of \"" + projcs.name() + "\" lacks the parameter " + names[0]);
        }
        return fallback;
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Node node() {
            String keyword = keyword();
            skipSpace();
            char open = next();
            if (open != '[' && open != '(') {
                throw new IllegalArgumentException("'[' is expected after " + keyword);
            }
            return body(keyword);
        }

        private String keyword() {
            skipSpace();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String keyword = s.substring(start, i);
            if (keyword.isEmpty()) {
                throw new IllegalArgumentException("a keyword is expected at character " + (i + 1));
            }
            return keyword;
        }

        private Node body(String keyword) {
            List<Object> values = new ArrayList<>();
            while (true) {
                skipSpace();
                char c = peek();
                if (c == '"') {
                    i++;
                    int end = s.indexOf('"', i);
                    if (end < 0) {
                        throw new IllegalArgumentException("an unterminated string");
                    }
                    values.add(s.substring(i, end));
                    i = end + 1;
                } else if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
                    int begin = i;
                    while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    values.add(Double.parseDouble(s.substring(begin, i)));
                } else {
                    String word = keyword();
                    skipSpace();
                    if (peek() == '[' || peek() == '(') {
                        i++;
                        values.add(body(word));
                    } else {
                        values.add(word); // an enumeration such as AXIS["Easting",EAST]
                    }
                }
                skipSpace();
                char sep = next();
                if (sep == ']' || sep == ')') {
                    return new Node(keyword, values);
                }
                if (sep != ',') {
                    throw new IllegalArgumentException("',' or ']' is expected at character " + i);
                }
            }
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("the text ends too early");
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }
    }
}

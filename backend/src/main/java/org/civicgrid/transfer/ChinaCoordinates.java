package org.civicgrid.transfer;

/**
 * WGS84 ⇄ GCJ-02 (高德/腾讯 "Mars" coordinates) ⇄ BD-09 (百度), as in the frontend's js/gcj02.js. The forward
 * formula is public; GCJ-02 → WGS84 is a fixed-point iteration (converges to far below 0.5 m). Outside China
 * the offset is zero, as in the published algorithm.
 */
final class ChinaCoordinates {

    private static final double A = 6378245.0; // Krasovsky 1940 semi-major axis
    private static final double EE = 0.00669342162296594323; // its eccentricity squared
    private static final double X_PI = Math.PI * 3000.0 / 180.0;

    private ChinaCoordinates() {
    }

    static boolean outOfChina(double lon, double lat) {
        return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
    }

    /** [lon, lat] WGS84 → GCJ-02. */
    static double[] wgsToGcj(double lon, double lat) {
        if (outOfChina(lon, lat)) {
            return new double[] {lon, lat};
        }
        double dLat = transformLat(lon - 105.0, lat - 35.0);
        double dLon = transformLon(lon - 105.0, lat - 35.0);
        double radLat = lat / 180.0 * Math.PI;
        double magic = Math.sin(radLat);
        magic = 1 - EE * magic * magic;
        double sqrtMagic = Math.sqrt(magic);
        dLat = dLat * 180.0 / (A * (1 - EE) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (A / sqrtMagic * Math.cos(radLat) * Math.PI);
        return new double[] {lon + dLon, lat + dLat};
    }

    /** [lon, lat] GCJ-02 → WGS84 by fixed-point iteration until the step is below 1e-10° (≈ 0.01 mm). */
    static double[] gcjToWgs(double lon, double lat) {
        if (outOfChina(lon, lat)) {
            return new double[] {lon, lat};
        }
        double x = lon;
        double y = lat;
        for (int i = 0; i < 30; i++) {
            double[] g = wgsToGcj(x, y);
            double dx = g[0] - lon;
            double dy = g[1] - lat;
            x -= dx;
            y -= dy;
            if (Math.abs(dx) < 1e-10 && Math.abs(dy) < 1e-10) {
                break;
            }
        }
        return new double[] {x, y};
    }

    /** [lon, lat] GCJ-02 → BD-09. */
    static double[] gcjToBd(double lon, double lat) {
        double z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
        double theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
        return new double[] {z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006};
    }

    /** [lon, lat] BD-09 → GCJ-02 (the published inverse; its error is a few centimetres). */
    static double[] bdToGcj(double lon, double lat) {
        double x = lon - 0.0065;
        double y = lat - 0.006;
        double z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
        double theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
        return new double[] {z * Math.cos(theta), z * Math.sin(theta)};
    }

    static double[] wgsToBd(double lon, double lat) {
        double[] g = wgsToGcj(lon, lat);
        return gcjToBd(g[0], g[1]);
    }

    static double[] bdToWgs(double lon, double lat) {
        double[] g = bdToGcj(lon, lat);
        return gcjToWgs(g[0], g[1]);
    }

    private static double transformLat(double x, double y) {
        double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
        r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        r += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        r += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        return r;
    }

    private static double transformLon(double x, double y) {
        double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
        r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        r += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        r += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        return r;
    }
}

package org.civicgrid.tiles;

/** Which web-mercator tile holds a lon/lat at a zoom. */
public final class TileMath {

    private TileMath() {
    }

    public static int[] tileOf(double lon, double lat, int zoom) {
        double n = Math.pow(2, zoom);
        int x = (int) Math.floor((lon + 180) / 360 * n);
        double latRad = Math.toRadians(lat);
        int y = (int) Math.floor((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2 * n);
        return new int[] {x, y};
    }
}

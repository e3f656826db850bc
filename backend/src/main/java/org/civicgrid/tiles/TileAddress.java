package org.civicgrid.tiles;

import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.ZoomLevel;

/** A web-mercator tile z/x/y; x and y must lie in 0 .. 2^z − 1. */
record TileAddress(int z, int x, int y) {

    static TileAddress parse(String z, String x, String y) {
        int zoom = ZoomLevel.parse(z);
        int max = 1 << zoom;
        return new TileAddress(zoom, index("x", x, max), index("y", y, max));
    }

    private static int index(String name, String text, int max) {
        try {
            int value = Integer.parseInt(text);
            if (value < 0 || value >= max) {
                throw new InvalidParameterException(name, value + " is outside 0.." + (max - 1) + " at this zoom");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, "'" + text + "' is not a tile index");
        }
    }
}

package org.civicgrid.web;

/** A web-map zoom level 0..22 from the {@code zoom} parameter. */
public final class ZoomLevel {

    public static final String PARAMETER = "zoom";
    public static final int MAX = 22;

    private ZoomLevel() {
    }

    /** A clustering cell of about 60 screen pixels at this zoom (a 256-pixel tile spans 360 / 2^zoom degrees). */
    public static double clusterCellDegrees(int zoom) {
        return 360.0 / Math.pow(2, zoom) / 256 * 60;
    }

    public static int parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidParameterException(PARAMETER, "is required (an integer 0.." + MAX + ")");
        }
        try {
            int zoom = Integer.parseInt(text.trim());
            if (zoom < 0 || zoom > MAX) {
                throw new InvalidParameterException(PARAMETER, zoom + " is outside 0.." + MAX);
            }
            return zoom;
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(PARAMETER, "'" + text + "' is not an integer 0.." + MAX);
        }
    }
}

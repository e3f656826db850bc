package org.civicgrid.web;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A lon/lat bounding box from the {@code bbox=minLon,minLat,maxLon,maxLat} parameter (the OGC order).
 * Anything else is refused with a message that says which part is wrong.
 */
public record BoundingBox(double minLon, double minLat, double maxLon, double maxLat) {

    public static final String PARAMETER = "bbox";

    public static BoundingBox parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidParameterException(PARAMETER, "is required as minLon,minLat,maxLon,maxLat");
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 4) {
            throw new InvalidParameterException(PARAMETER, "needs exactly 4 numbers minLon,minLat,maxLon,maxLat, got " + parts.length);
        }
        double[] values = new double[4];
        String[] names = {"minLon", "minLat", "maxLon", "maxLat"};
        for (int i = 0; i < 4; i++) {
            try {
                values[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidParameterException(PARAMETER, names[i] + " '" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(values[i])) {
                throw new InvalidParameterException(PARAMETER, names[i] + " must be a finite number");
            }
        }
        BoundingBox box = new BoundingBox(values[0], values[1], values[2], values[3]);
        box.checkRanges();
        return box;
    }

    /** Binds the box as the named parameters :minLon, :minLat, :maxLon and :maxLat of a spatial query. */
    public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
        return statement.param("minLon", minLon).param("minLat", minLat).param("maxLon", maxLon).param("maxLat", maxLat);
    }

    private void checkRanges() {
        if (minLon < -180 || maxLon > 180) {
            throw new InvalidParameterException(PARAMETER, "longitudes must lie within -180..180");
        }
        if (minLat < -90 || maxLat > 90) {
            throw new InvalidParameterException(PARAMETER, "latitudes must lie within -90..90");
        }
        if (minLon >= maxLon || minLat >= maxLat) {
            throw new InvalidParameterException(PARAMETER, "minLon must be below maxLon and minLat below maxLat");
        }
    }
}
